package io.rbdstack.server.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.api.ApiException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NIC lock on the real MariaDB: each holding() takes a connection of its own, a session as another
 * management server's would be; what one holds for a VM the other waits for, other VMs do not wait, and a failed job lets go.
 */
class DatabaseVmNicLocksIT {

    private static TestDatabase db;

    @BeforeAll
    static void database() throws Exception {
        db = new TestDatabase();
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    @Test
    void aSecondServerWaitsForTheVmsNicLockAndGetsItOnceReleased() throws Exception {
        DataSource one = db.dataSource();
        DataSource two = db.dataSource();
        VmNicLocks first = new DatabaseVmNicLocks(one, Duration.ofSeconds(20));
        VmNicLocks second = new DatabaseVmNicLocks(two, Duration.ofSeconds(20));
        try (Holder holder = Holder.holding(first, 41)) {
            CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> second.holding(41, System::nanoTime));
            assertEquals("other VM", second.holding(42, () -> "other VM"), "another VM's lock is free meanwhile");
            Thread.sleep(500);
            assertTrue(!waiter.isDone(), "the same VM's lock is not");
            long released = System.nanoTime();
            holder.close();
            assertTrue(waiter.get(10, TimeUnit.SECONDS) >= released, "it got the lock after the release");
        }
    }

    @Test
    void aLockStillHeldAfterTheTimeoutFailsNamingTheVm() throws Exception {
        VmNicLocks first = new DatabaseVmNicLocks(db.dataSource(), Duration.ofSeconds(20));
        VmNicLocks impatient = new DatabaseVmNicLocks(db.dataSource(), Duration.ofSeconds(1));
        try (Holder held = Holder.holding(first, 43)) {
            ApiException refused = assertThrows(ApiException.class, () -> impatient.holding(43, () -> "never"));
            assertTrue(refused.getMessage().contains("VM 43") && refused.getMessage().contains("still runs after 1 s"),
                    refused.getMessage());
        }
    }

    @Test
    void aJobThatFailsLetsGoOfTheLock() {
        VmNicLocks first = new DatabaseVmNicLocks(db.dataSource(), Duration.ofSeconds(20));
        VmNicLocks second = new DatabaseVmNicLocks(db.dataSource(), Duration.ofSeconds(1));
        assertThrows(IllegalStateException.class, () -> first.holding(44, () -> {
            throw new IllegalStateException("the unplug failed");
        }));
        assertEquals("next", second.holding(44, () -> "next"), "the next job gets the lock at once");
    }

    /** A job holding a VM's NIC lock until closed; closing releases it and waits for the job's end. */
    private record Holder(CountDownLatch release, CompletableFuture<Void> job) implements AutoCloseable {

        /** Starts the job on another thread and returns once it holds {@code vmId}'s lock. */
        static Holder holding(VmNicLocks locks, long vmId) throws InterruptedException {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> job = CompletableFuture.runAsync(() -> locks.holding(vmId, () -> {
                held.countDown();
                await(release);
                return null;
            }));
            assertTrue(held.await(10, TimeUnit.SECONDS), "VM " + vmId + "'s lock taken");
            return new Holder(release, job);
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            job.get(10, TimeUnit.SECONDS);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(20, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
