package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class TransferBuffersTest {

    @Test
    void aLoneTransferGetsAllItAsksFor() throws Exception {
        TransferBuffers budget = new TransferBuffers(16, 4096);
        try (TransferBuffers.Lease lease = budget.take(2, 5)) {
            assertEquals(5, lease.buffers().size());
            assertEquals(5, budget.lent());
        }
    }

    @Test
    void slotsWithoutBuffersCountAgainstTheBudgetAndGoBackWithTheLease() throws Exception {
        TransferBuffers budget = new TransferBuffers(8, 4096);
        try (TransferBuffers.Lease restore = budget.take(1, 6, 1)) {
            assertEquals(1, restore.buffers().size(), "one buffer allocated");
            assertEquals(6, restore.slots());
            assertEquals(6, budget.lent(), "six slots lent");
            assertEquals(1, budget.allocated());
            try (TransferBuffers.Lease backup = budget.take(2, 6)) {
                assertEquals(2, backup.buffers().size(), "what the slots left");
                assertEquals(null, backup.tryGrow(), "the budget is spent");
            }
            assertEquals(6, budget.lent());
        }
        assertEquals(0, budget.lent());
        assertEquals(0, budget.allocated(), "an idle agent holds no transfer memory");
    }

    @Test
    void freeBuffersAreFreedWhereSlotsWithoutBuffersNeedTheirRoom() throws Exception {
        TransferBuffers budget = new TransferBuffers(8, 4096);
        TransferBuffers.Lease backup = budget.take(2, 6);
        try (TransferBuffers.Lease other = budget.take(2, 2)) {
            backup.close(); // its 6 buffers kept for the next transfer: another still runs
            assertEquals(8, budget.allocated());
            try (TransferBuffers.Lease restore = budget.take(1, 6, 1)) {
                assertEquals(6, restore.slots());
                assertEquals(3, budget.allocated(), "2 + 1 buffers; the 5 others freed for the slots' room");
            }
        }
        assertEquals(0, budget.allocated());
    }

    @Test
    void laterTransfersGetWhatIsLeftAndNeverMoreThanTheBudget() throws Exception {
        TransferBuffers budget = new TransferBuffers(8, 4096);
        try (TransferBuffers.Lease first = budget.take(2, 5);
             TransferBuffers.Lease second = budget.take(2, 5)) {
            assertEquals(5, first.buffers().size());
            assertEquals(3, second.buffers().size(), "what the first left");
            assertEquals(8, budget.allocated(), "never more than the budget");
        }
    }

    @Test
    void aTransferWaitsForBuffersRatherThanAllocatingMore() throws Exception {
        TransferBuffers budget = new TransferBuffers(4, 4096);
        TransferBuffers.Lease first = budget.take(2, 4);
        CompletableFuture<TransferBuffers.Lease> second = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.take(2, 4);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThrows(TimeoutException.class, () -> second.get(300, TimeUnit.MILLISECONDS));
        assertEquals(4, budget.allocated());

        first.close();

        try (TransferBuffers.Lease lease = second.get(5, TimeUnit.SECONDS)) {
            assertEquals(4, lease.buffers().size());
            assertEquals(4, budget.allocated(), "the first one's buffers, reused");
        }
    }

    @Test
    void aTransferGrowsByABufferOnlyWhileOneIsFreeAndNobodyWaitsForThem() throws Exception {
        TransferBuffers budget = new TransferBuffers(4, 4096);
        TransferBuffers.Lease first = budget.take(2, 2);
        assertTrue(first.tryGrow() != null, "one free, nobody waiting");
        assertEquals(3, first.buffers().size());
        assertEquals(3, budget.lent());
        CompletableFuture<TransferBuffers.Lease> second = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.take(2, 2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (long deadline = System.nanoTime() + 10_000_000_000L; budget.waiting() == 0; Thread.sleep(5)) {
            assertTrue(System.nanoTime() < deadline, "the second transfer never waited");
        }
        assertEquals(null, first.tryGrow(), "the free buffer is for the transfer waiting");
        first.close(); // the grown buffer goes back with the others
        try (TransferBuffers.Lease lease = second.get(5, TimeUnit.SECONDS)) {
            assertEquals(2, lease.buffers().size());
            assertTrue(lease.tryGrow() != null);
            assertTrue(lease.tryGrow() != null);
            assertEquals(null, lease.tryGrow(), "the budget spent");
            assertEquals(4, budget.allocated(), "never more than the budget");
        }
        assertEquals(0, budget.lent());
        assertEquals(null, first.tryGrow(), "a closed lease grows no more");
    }

    @Test
    void aLaterSmallerAskWaitsBehindAnEarlierLargerOne() throws Exception {
        TransferBuffers budget = new TransferBuffers(4, 4096);
        TransferBuffers.Lease first = budget.take(3, 3);
        CompletableFuture<TransferBuffers.Lease> large = takeAsync(budget, 2, 2);
        awaitWaiting(budget, 1);
        CompletableFuture<TransferBuffers.Lease> small = takeAsync(budget, 1, 1);
        awaitWaiting(budget, 2);

        // One buffer is free, enough for the small ask: it still waits for the large one, which asked first.
        assertThrows(TimeoutException.class, () -> small.get(300, TimeUnit.MILLISECONDS));
        assertEquals(3, budget.lent());

        first.close();

        try (TransferBuffers.Lease two = large.get(5, TimeUnit.SECONDS);
             TransferBuffers.Lease one = small.get(5, TimeUnit.SECONDS)) {
            assertEquals(2, two.buffers().size());
            assertEquals(1, one.buffers().size(), "what the large one left");
            assertEquals(0, budget.waiting());
        }
    }

    @Test
    void waitingTransfersAreServedInTheOrderTheyAsked() throws Exception {
        TransferBuffers budget = new TransferBuffers(2, 4096);
        TransferBuffers.Lease holder = budget.take(2, 2);
        List<Integer> served = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int which = i;
            waiters.add(CompletableFuture.runAsync(() -> {
                try (TransferBuffers.Lease lease = budget.take(2, 2)) {
                    assertEquals(2, lease.buffers().size(), "the whole budget, each in turn");
                    served.add(which);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> new Thread(runnable, "waiter-" + which).start()));
            awaitWaiting(budget, i + 1); // each is in line before the next asks
        }

        holder.close();

        CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(0, 1, 2, 3, 4), served);
    }

    @Test
    void anInterruptedWaiterLeavesTheLineToThoseAfterIt() throws Exception {
        TransferBuffers budget = new TransferBuffers(4, 4096);
        TransferBuffers.Lease first = budget.take(3, 3);
        Thread large = new Thread(() -> {
            try {
                budget.take(2, 2).close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // expected: it gives up
            }
        });
        large.start();
        awaitWaiting(budget, 1);
        CompletableFuture<TransferBuffers.Lease> small = takeAsync(budget, 1, 1);
        awaitWaiting(budget, 2);

        large.interrupt();
        large.join(5000);

        try (TransferBuffers.Lease one = small.get(5, TimeUnit.SECONDS)) {
            assertEquals(1, one.buffers().size(), "the free buffer, once the one before it gave up");
            assertEquals(4, budget.lent(), "nothing lent to the interrupted one");
        }
        first.close();
        assertEquals(0, budget.waiting());
    }

    @Test
    void anIdleBudgetHoldsNoMemory() throws Exception {
        TransferBuffers budget = new TransferBuffers(4, 4096);
        TransferBuffers.Lease a = budget.take(1, 2);
        TransferBuffers.Lease b = budget.take(1, 2);
        a.close();
        assertEquals(4, budget.allocated(), "kept while a transfer runs");
        b.close();
        b.close(); // twice is harmless

        assertEquals(0, budget.allocated());
        assertEquals(0, budget.lent());
        try (TransferBuffers.Lease again = budget.take(1, 1)) {
            assertNotSame(null, again.buffers().get(0));
        }
    }

    @Test
    void theAgentsBudgetIsTenUnlessThePropertySaysOtherwise() {
        assertEquals(10, TransferBuffers.budget(null));
        assertEquals(20, TransferBuffers.budget(" 20 "));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> TransferBuffers.budget("lots"));
        assertTrue(bad.getMessage().contains("rbdstack.transfer.buffers") && bad.getMessage().contains("lots"),
                bad.getMessage());
    }

    @Test
    void askingForMoreThanTheBudgetIsRefusedNotWaitedForEver() {
        TransferBuffers budget = new TransferBuffers(4, 4096);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> budget.take(5, 6));
        assertTrue(refused.getMessage().contains("of 4 buffers"), refused.getMessage());
        assertFalse(budget.lent() > 0);
    }

    private static CompletableFuture<TransferBuffers.Lease> takeAsync(TransferBuffers budget, int least, int most) {
        CompletableFuture<TransferBuffers.Lease> lease = new CompletableFuture<>();
        new Thread(() -> {
            try {
                lease.complete(budget.take(least, most));
            } catch (Throwable e) {
                lease.completeExceptionally(e);
            }
        }).start();
        return lease;
    }

    private static void awaitWaiting(TransferBuffers budget, int transfers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (budget.waiting() < transfers) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + transfers + " waiting, got " + budget.waiting());
            }
            Thread.sleep(5);
        }
    }
}
