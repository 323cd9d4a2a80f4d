package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When shared connections are opened, shared, and closed: on a fake clock, with connections as plain objects. */
class SharedConnectionsTest {

    /** A key: a slot (monitors and user) and a credential. */
    record Key(String slot, String secret) {
    }

    static final class Conn {
        final Key key;
        boolean closed;

        Conn(Key key) {
            this.key = key;
        }
    }

    private final AtomicLong now = new AtomicLong();
    private final List<Conn> opened = new ArrayList<>();

    private SharedConnections<Key, Conn> connections(Duration idle) {
        return new SharedConnections<>(Key::slot, key -> {
            Conn c = new Conn(key);
            synchronized (opened) {
                opened.add(c);
            }
            return c;
        }, c -> c.closed = true, idle, now::get);
    }

    private static final Key A = new Key("mon1/admin", "secret-1");

    @Test
    void aSecondCommandWithTheSameKeyReusesTheConnection() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ofSeconds(60));
        SharedConnections<Key, Conn>.Lease first = shared.lease(A);
        first.release();
        SharedConnections<Key, Conn>.Lease second = shared.lease(new Key("mon1/admin", "secret-1"));
        assertSame(first.connection(), second.connection());
        second.release();
        assertEquals(1, opened.size());
        assertFalse(opened.get(0).closed);
        assertEquals(1, shared.open());
    }

    @Test
    void concurrentCommandsShareOneConnection() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ofSeconds(60));
        SharedConnections<Key, Conn>.Lease one = shared.lease(A);
        SharedConnections<Key, Conn>.Lease two = shared.lease(A);
        assertSame(one.connection(), two.connection());
        one.release();
        two.release();
        assertEquals(1, opened.size());
    }

    @Test
    void concurrentFirstCommandsConnectOnce() throws Exception {
        CountDownLatch inOpen = new CountDownLatch(1);
        CountDownLatch mayFinish = new CountDownLatch(1);
        AtomicInteger opens = new AtomicInteger();
        SharedConnections<Key, Conn> shared = new SharedConnections<>(Key::slot, key -> {
            opens.incrementAndGet();
            inOpen.countDown();
            try {
                mayFinish.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Conn(key);
        }, c -> c.closed = true, Duration.ofSeconds(60), now::get);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Conn> first = threads.submit(() -> shared.lease(A).connection());
            assertTrue(inOpen.await(5, TimeUnit.SECONDS));
            Future<Conn> second = threads.submit(() -> shared.lease(A).connection());
            Thread.sleep(100); // the second waits for the first's connect
            mayFinish.countDown();
            assertSame(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
            assertEquals(1, opens.get());
        } finally {
            threads.shutdownNow();
        }
    }

    /** Opens at once, except for {@link #BLOCKED}'s connect, which waits until the test lets it go. */
    private SharedConnections<Key, Conn> withBlockedConnect(CountDownLatch inBlockedOpen, CountDownLatch release,
                                                            AtomicInteger blockedOpens, CephException failure) {
        return new SharedConnections<>(Key::slot, key -> {
            if (key.equals(BLOCKED)) {
                blockedOpens.incrementAndGet();
                inBlockedOpen.countDown();
                try {
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        throw new CephException("the test never released the connect", -110);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CephException("interrupted", -4);
                }
                if (failure != null) {
                    throw failure;
                }
            }
            Conn c = new Conn(key);
            synchronized (opened) {
                opened.add(c);
            }
            return c;
        }, c -> c.closed = true, Duration.ofSeconds(60), now::get);
    }

    private static final Key BLOCKED = new Key("unreachable-mon/admin", "secret-1");

    @Test
    void aBlockedConnectDelaysNeitherAnotherClusterNorAnotherKeyOfItsSlot() throws Exception {
        CountDownLatch inOpen = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SharedConnections<Key, Conn> shared = withBlockedConnect(inOpen, release, new AtomicInteger(), null);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<Conn> blocked = threads.submit(() -> shared.lease(BLOCKED).connection());
            assertTrue(inOpen.await(5, TimeUnit.SECONDS));
            Future<Conn> otherCluster = threads.submit(() -> shared.lease(A).connection());
            assertEquals(A, otherCluster.get(2, TimeUnit.SECONDS).key, "not behind the blocked connect");
            Key otherKey = new Key(BLOCKED.slot(), "secret-2");
            Future<Conn> sameSlotOtherKey = threads.submit(() -> shared.lease(otherKey).connection());
            assertEquals(otherKey, sameSlotOtherKey.get(2, TimeUnit.SECONDS).key, "not behind the blocked connect");
            assertFalse(blocked.isDone());
            release.countDown();
            Conn late = blocked.get(5, TimeUnit.SECONDS);
            assertEquals(BLOCKED, late.key);
            assertFalse(sameSlotOtherKey.get().closed, "still leased by its command");
            assertEquals(2, shared.open(), "one connection per slot: the connect that ended last holds it");
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void concurrentFirstCommandsShareOneFailedConnect() throws Exception {
        CountDownLatch inOpen = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger opens = new AtomicInteger();
        SharedConnections<Key, Conn> shared = withBlockedConnect(inOpen, release, opens,
                new CephException("cannot connect to Ceph: timed out", -110));
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Conn> first = threads.submit(() -> shared.lease(BLOCKED).connection());
            assertTrue(inOpen.await(5, TimeUnit.SECONDS));
            Future<Conn> second = threads.submit(() -> shared.lease(BLOCKED).connection());
            Thread.sleep(100); // the second finds the first's connect under way
            release.countDown();
            for (Future<Conn> command : List.of(first, second)) {
                ExecutionException failed = assertThrows(ExecutionException.class,
                        () -> command.get(5, TimeUnit.SECONDS));
                CephException cause = assertInstanceOf(CephException.class, failed.getCause());
                assertEquals(-110, cause.returnCode());
                assertTrue(cause.getMessage().contains("timed out"), cause.getMessage());
            }
            assertEquals(1, opens.get(), "one connect for both");
            assertEquals(0, shared.open());
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void anotherKeyForTheSameSlotClosesTheOldConnectionAndNeverSharesIt() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ofSeconds(60));
        SharedConnections<Key, Conn>.Lease old = shared.lease(A);
        SharedConnections<Key, Conn>.Lease renewed = shared.lease(new Key("mon1/admin", "secret-2"));
        assertEquals("secret-2", renewed.connection().key.secret());
        assertFalse(old.connection().closed, "still in use by its command");
        old.release();
        assertTrue(old.connection().closed, "closed when its last command ended");
        renewed.release();
        SharedConnections<Key, Conn>.Lease again = shared.lease(A);
        assertEquals(3, opened.size(), "the old key connects anew");
        again.release();
        assertTrue(renewed.connection().closed);
    }

    @Test
    void otherSlotsKeepTheirConnections() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ofSeconds(60));
        shared.lease(A).release();
        shared.lease(new Key("mon1/other-user", "secret-1")).release();
        assertEquals(2, shared.open());
        assertFalse(opened.get(0).closed);
        assertFalse(opened.get(1).closed);
    }

    @Test
    void anUnusedConnectionClosesAfterTheIdleLifetimeOnly() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ofSeconds(60));
        SharedConnections<Key, Conn>.Lease lease = shared.lease(A);
        now.addAndGet(Duration.ofSeconds(120).toNanos());
        assertEquals(0, shared.closeIdle(), "a leased connection is never idle");
        lease.release();
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals(0, shared.closeIdle());
        assertFalse(opened.get(0).closed);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(1, shared.closeIdle());
        assertTrue(opened.get(0).closed);
        assertEquals(0, shared.open());
        shared.lease(A).release();
        assertEquals(2, opened.size(), "the next command connects anew");
    }

    @Test
    void retiringAfterAFailureClosesWhenTheLastCommandEnds() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ofSeconds(60));
        SharedConnections<Key, Conn>.Lease failing = shared.lease(A);
        SharedConnections<Key, Conn>.Lease other = shared.lease(A);
        failing.release();
        assertTrue(shared.retire(A));
        assertFalse(other.connection().closed);
        other.release();
        assertTrue(other.connection().closed);
        shared.lease(A).release();
        assertEquals(2, opened.size());
        assertFalse(shared.retire(new Key("mon1/admin", "not-this-one")), "another key's connection stays");
        assertEquals(1, shared.open());
    }

    @Test
    void aFailedConnectKeepsNothing() {
        SharedConnections<Key, Conn> shared = new SharedConnections<>(Key::slot, key -> {
            throw new CephException("refused", -13);
        }, c -> c.closed = true, Duration.ofSeconds(60), now::get);
        assertThrows(CephException.class, () -> shared.lease(A));
        assertEquals(0, shared.open());
    }

    @Test
    void aZeroIdleLifetimeConnectsForEveryCommand() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ZERO);
        SharedConnections<Key, Conn>.Lease first = shared.lease(A);
        first.release();
        assertTrue(first.connection().closed);
        shared.lease(A).release();
        assertEquals(2, opened.size());
        assertEquals(0, shared.open());
    }

    @Test
    void releasingTwiceCountsOnce() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ofSeconds(60));
        SharedConnections<Key, Conn>.Lease one = shared.lease(A);
        SharedConnections<Key, Conn>.Lease two = shared.lease(A);
        one.release();
        one.release();
        shared.retire(A);
        assertFalse(two.connection().closed, "the second command still uses it");
        two.release();
        assertTrue(two.connection().closed);
    }

    @Test
    void closingClosesUnusedConnectionsAtOnceAndLeasedOnesWhenReleased() throws Exception {
        SharedConnections<Key, Conn> shared = connections(Duration.ofSeconds(60));
        shared.lease(A).release();
        SharedConnections<Key, Conn>.Lease busy = shared.lease(new Key("mon2/admin", "s"));
        shared.close();
        assertTrue(opened.get(0).closed);
        assertFalse(opened.get(1).closed);
        busy.release();
        assertTrue(opened.get(1).closed);
        SharedConnections<Key, Conn>.Lease after = shared.lease(A);
        after.release();
        assertTrue(after.connection().closed, "nothing is kept after close");
    }
}
