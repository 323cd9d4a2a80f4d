package io.rbdstack.agent.store.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PartBuffersTest {

    @Test
    void aBufferGivenBackIsReusedWhileAnotherIsHeldAndAllAreFreedWhenNoneIs() {
        PartBuffers buffers = new PartBuffers(2, 4096);
        Memory first = buffers.tryTakeInTurn();
        Memory second = buffers.tryTakeInTurn();
        assertNotNull(first);
        assertNotNull(second);
        assertEquals(4096, first.size());
        assertNull(buffers.tryTakeInTurn(), "the budget is two");
        buffers.give(first);
        assertEquals(1, buffers.idle(), "kept while another is held");
        assertSame(first, buffers.tryTakeInTurn(), "reused, not allocated again");
        buffers.give(first);
        assertTrue(first.valid(), "kept while the second is held");
        buffers.give(second);
        assertEquals(0, buffers.idle(), "none kept: no upload holds one");
        assertFalse(first.valid(), "freed");
        assertFalse(second.valid(), "freed");
        assertEquals(2, buffers.available());
    }

    @Test
    void aWaitingUploadIsServedBeforeOneThatTriesAndAnAbandonedBufferFreesItsSlot() throws Exception {
        PartBuffers buffers = new PartBuffers(1, 4096);
        Memory held = buffers.tryTakeInTurn();
        CompletableFuture<Memory> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return buffers.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (long end = System.nanoTime() + 5_000_000_000L; buffers.waiting() == 0 && System.nanoTime() < end; ) {
            Thread.sleep(5);
        }
        assertTrue(buffers.othersWaiting());
        buffers.abandon(); // the holder's part may still be read: its slot goes, its memory is not reused
        assertNull(buffers.tryTakeInTurn(), "the slot is the waiting upload's, not taken past it");
        Memory served = waiting.get(5, TimeUnit.SECONDS);
        assertNotNull(served);
        assertTrue(served != held, "a new buffer, not the abandoned one");
        assertNull(buffers.tryTakeInTurn());
        buffers.give(served);
        assertEquals(1, buffers.available());
        assertEquals(0, buffers.idle());
    }

    @Test
    void aBudgetBelowOneOrNotANumberIsRefusedNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PartBuffers(0, 4096));
        assertTrue(e.getMessage().contains("rbdstack.s3.part.buffers"), e.getMessage());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class, () -> PartBuffers.budget("four"));
        assertTrue(word.getMessage().contains("rbdstack.s3.part.buffers"), word.getMessage());
        assertEquals(4, PartBuffers.budget(null), "unset: the default");
        assertEquals(6, PartBuffers.budget(" 6 "));
    }
}
