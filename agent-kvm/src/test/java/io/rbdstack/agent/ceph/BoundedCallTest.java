package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedCallTest {

    @Test
    void aCallInTimeReturnsAndIsNotCleanedUp() throws Exception {
        AtomicInteger cleanups = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        BoundedCall.run("test", Duration.ofSeconds(5), runs::incrementAndGet, cleanups::incrementAndGet);
        assertEquals(1, runs.get());
        assertEquals(0, cleanups.get());
    }

    @Test
    void aFailingCallThrowsItsException() {
        IOException thrown = assertThrows(IOException.class, () -> BoundedCall.run("test", Duration.ofSeconds(5),
                () -> {
                    throw new IOException("boom");
                }, () -> { }));
        assertEquals("boom", thrown.getMessage());
    }

    @Test
    void aHungCallIsAbandonedAtTheDeadlineAndCleanedUpWhenItReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch cleanedUp = new CountDownLatch(1);
        long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> BoundedCall.run("hung", Duration.ofMillis(200),
                release::await, cleanedUp::countDown));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 200 && elapsedMs < 5000, "returned after " + elapsedMs + " ms");
        assertFalse(cleanedUp.await(50, TimeUnit.MILLISECONDS), "no clean-up while the call still runs");
        release.countDown();
        assertTrue(cleanedUp.await(5, TimeUnit.SECONDS), "clean-up once the abandoned call returned");
    }
}
