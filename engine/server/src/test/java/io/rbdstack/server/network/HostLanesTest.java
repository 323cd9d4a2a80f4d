package io.rbdstack.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One serial lane per host on a bounded pool: hosts independent, each host's work in order. */
class HostLanesTest {

    private final List<String> resynced = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HostLanes lanes;

    private HostLanes lanes(int threads, int capacity) {
        lanes = new HostLanes("test-lane", threads, capacity, host -> () -> resynced.add(host));
        return lanes;
    }

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        lanes.close();
    }

    private Runnable blockedUntilReleased(CountDownLatch started) {
        return () -> {
            started.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Returns once {@code host}'s lane runs work that hangs until the test releases it. */
    private void blockHost(HostLanes lanes, String host) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        lanes.submit(host, blockedUntilReleased(started));
        assertTrue(started.await(5, TimeUnit.SECONDS), host + "'s work started");
    }

    @Test
    void aBlockedHostDelaysNoOtherHost() throws Exception {
        HostLanes lanes = lanes(2, 100);
        blockHost(lanes, "host-a");
        CountDownLatch bRan = new CountDownLatch(1);
        CountDownLatch aNext = new CountDownLatch(1);
        lanes.submit("host-a", aNext::countDown);

        lanes.submit("host-b", bRan::countDown);

        assertTrue(bRan.await(5, TimeUnit.SECONDS), "host b's change ran while host a's hung");
        assertEquals(1, aNext.getCount(), "host a's next change waits for its first");
        release.countDown();
        assertTrue(aNext.await(5, TimeUnit.SECONDS));
    }

    @Test
    void oneHostsChangesRunInTheOrderGivenOneAtATime() throws Exception {
        HostLanes lanes = lanes(4, 1000);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            int change = i;
            lanes.submit("host-a", () -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                ran.add(change);
                running.decrementAndGet();
                done.countDown();
            });
            lanes.submit("host-" + (i % 7 + 1), done::getCount); // other hosts' work interleaved on the same threads
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(IntStream.range(0, 200).boxed().toList(), ran);
        assertEquals(1, mostAtOnce.get());
    }

    @Test
    void theLanesShareAtMostTheirThreads() throws Exception {
        HostLanes lanes = lanes(2, 100);
        CountDownLatch twoStarted = new CountDownLatch(2);
        lanes.submit("host-a", blockedUntilReleased(twoStarted));
        lanes.submit("host-b", blockedUntilReleased(twoStarted));
        assertTrue(twoStarted.await(5, TimeUnit.SECONDS));
        CountDownLatch cRan = new CountDownLatch(1);

        lanes.submit("host-c", cRan::countDown);

        assertFalse(cRan.await(300, TimeUnit.MILLISECONDS), "a third host waits for one of the two threads");
        release.countDown();
        assertTrue(cRan.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aFullBacklogIsReplacedByOneResyncOfTheHost() throws Exception {
        HostLanes lanes = lanes(2, 3);
        blockHost(lanes, "host-a");
        List<Integer> ran = new CopyOnWriteArrayList<>();
        CountDownLatch last = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            int change = i;
            lanes.submit("host-a", () -> ran.add(change));
        }
        assertEquals(3, lanes.queued("host-a"));

        lanes.submit("host-a", last::countDown);

        assertEquals(2, lanes.queued("host-a"), "the resync and the latest change");
        release.countDown();
        assertTrue(last.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("host-a"), resynced);
        assertEquals(new ArrayList<Integer>(), ran, "replaced by the resync");
    }
}
