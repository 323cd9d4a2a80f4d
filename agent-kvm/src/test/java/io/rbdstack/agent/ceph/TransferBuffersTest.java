package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void askingForMoreThanTheBudgetIsRefusedNotWaitedForEver() {
        TransferBuffers budget = new TransferBuffers(4, 4096);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> budget.take(5, 6));
        assertTrue(refused.getMessage().contains("of 4 buffers"), refused.getMessage());
        assertFalse(budget.lent() > 0);
    }
}
