package io.rbdstack.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleTransferMemoryTest {

    private static final Duration DELAY = Duration.ofMillis(200);

    @Test
    void memoryIsGivenBackOnceTheDelayAfterTheLastTransferEnded() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger releases = new AtomicInteger();
        try (IdleTransferMemory idle = new IdleTransferMemory(DELAY, () -> {
            releases.incrementAndGet();
            released.countDown();
        })) {
            long start = System.nanoTime();
            idle.transfersRunning(1);
            idle.transfersRunning(0);
            assertTrue(released.await(5, TimeUnit.SECONDS), "given back");
            assertTrue(System.nanoTime() - start >= DELAY.toNanos(), "not before the delay");
            Thread.sleep(3 * DELAY.toMillis());
            assertEquals(1, releases.get(), "once");
        }
    }

    @Test
    void aTransferThatStartsWithinTheDelayPutsItOffUntilItEnds() throws Exception {
        AtomicInteger releases = new AtomicInteger();
        try (IdleTransferMemory idle = new IdleTransferMemory(DELAY, releases::incrementAndGet)) {
            idle.transfersRunning(0);
            idle.transfersRunning(1);
            idle.transfersRunning(2);
            idle.transfersRunning(1);
            Thread.sleep(3 * DELAY.toMillis());
            assertEquals(0, releases.get(), "nothing while transfers run");
            idle.transfersRunning(0);
            Thread.sleep(3 * DELAY.toMillis());
            assertEquals(1, releases.get());
        }
    }

    @Test
    void nothingRunsOnceClosed() throws Exception {
        AtomicInteger releases = new AtomicInteger();
        IdleTransferMemory idle = new IdleTransferMemory(DELAY, releases::incrementAndGet);
        idle.transfersRunning(0);
        idle.close();
        idle.transfersRunning(0);
        Thread.sleep(3 * DELAY.toMillis());
        assertEquals(0, releases.get());
    }
}
