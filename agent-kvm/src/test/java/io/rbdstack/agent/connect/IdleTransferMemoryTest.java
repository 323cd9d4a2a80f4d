package io.rbdstack.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleTransferMemoryTest {

    /** Long enough that nothing fires while a test looks at the schedule, on a loaded machine too. */
    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void memoryIsGivenBackOnceTheDelayAfterTheLastTransferEnded() throws Exception {
        Duration delay = Duration.ofMillis(100);
        CountDownLatch released = new CountDownLatch(1);
        AtomicInteger releases = new AtomicInteger();
        try (IdleTransferMemory idle = new IdleTransferMemory(delay, () -> {
            releases.incrementAndGet();
            released.countDown();
        })) {
            long start = System.nanoTime();
            idle.transferStarted();
            idle.transferEnded();
            assertTrue(released.await(10, TimeUnit.SECONDS), "given back");
            assertTrue(System.nanoTime() - start >= delay.toNanos(), "not before the delay");
            assertFalse(idle.scheduled(), "nothing more to do");
            Thread.sleep(5 * delay.toMillis());
            assertEquals(1, releases.get(), "once");
        }
    }

    @Test
    void nothingIsScheduledWhileATransferRuns() {
        try (IdleTransferMemory idle = new IdleTransferMemory(LONG, () -> { })) {
            assertEquals(1, idle.transferStarted());
            assertEquals(2, idle.transferStarted());
            assertFalse(idle.scheduled());
            assertEquals(1, idle.transferEnded());
            assertFalse(idle.scheduled(), "one still runs");
            assertEquals(0, idle.transferEnded());
            assertTrue(idle.scheduled(), "the last one ended");
            assertEquals(1, idle.transferStarted());
            assertFalse(idle.scheduled(), "a transfer that starts within the delay puts it off");
            assertEquals(0, idle.transferEnded());
            assertTrue(idle.scheduled());
            assertEquals(0, idle.transferEnded(), "never below none");
        }
    }

    @Test
    void aReleaseThatFailsLeavesTheNextOneToRun() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch second = new CountDownLatch(2);
        try (IdleTransferMemory idle = new IdleTransferMemory(Duration.ofMillis(50), () -> {
            calls.incrementAndGet();
            second.countDown();
            if (calls.get() == 1) {
                throw new UnsatisfiedLinkError("no malloc_trim here");
            }
        })) {
            idle.transferStarted();
            idle.transferEnded();
            assertTrue(waitFor(() -> calls.get() == 1), "the first ran");
            idle.transferStarted();
            idle.transferEnded();
            assertTrue(second.await(10, TimeUnit.SECONDS), "the second ran too");
        }
    }

    @Test
    void nothingIsScheduledOnceClosed() {
        IdleTransferMemory idle = new IdleTransferMemory(LONG, () -> { });
        idle.transferStarted();
        idle.transferEnded();
        assertTrue(idle.scheduled());
        idle.close();
        assertFalse(idle.scheduled(), "cancelled");
        idle.transferStarted();
        idle.transferEnded();
        assertFalse(idle.scheduled());
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
