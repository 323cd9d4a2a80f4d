package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WriteSlicesTest {

    private static final int MIB = 1 << 20;

    @Test
    void wholeBufferWritesTakeOneBufferEachRoundTheRing() {
        WriteSlices slices = new WriteSlices(3, 4 * MIB);
        for (int i = 0; i < 7; i++) {
            WriteSlices.Slice slice = slices.next(4 * MIB);
            assertEquals(new WriteSlices.Slice(i % 3, 0), slice);
        }
    }

    @Test
    void smallWritesArePackedIntoOneBufferThenTheNext() {
        WriteSlices slices = new WriteSlices(2, 4 * MIB);
        for (int i = 0; i < 64; i++) {
            assertEquals(new WriteSlices.Slice(0, i * 64 * 1024), slices.next(64 * 1024));
        }
        assertEquals(new WriteSlices.Slice(1, 0), slices.next(64 * 1024), "the 65th does not fit in the first");
        assertEquals(new WriteSlices.Slice(1, 64 * 1024), slices.next(4 * MIB - 64 * 1024), "the rest fits exactly");
        assertEquals(new WriteSlices.Slice(0, 0), slices.next(1), "then back to the first");
    }

    @Test
    void aBufferIsReusedOnlyOnceTheWritesOfItsLastRoundEnded() {
        WriteSlices slices = new WriteSlices(2, 4 * MIB);
        WriteSlices.Slice first = slices.next(3 * MIB);
        assertFalse(slices.mustWait(first));
        slices.started(first.buffer());
        WriteSlices.Slice second = slices.next(3 * MIB);
        assertEquals(1, second.buffer());
        slices.started(second.buffer());
        WriteSlices.Slice third = slices.next(2 * MIB);
        assertEquals(new WriteSlices.Slice(0, 0), third);
        assertTrue(slices.mustWait(third), "the first write still uses buffer 0");
        slices.ended(first.buffer());
        assertFalse(slices.mustWait(third));
        slices.started(third.buffer());
        WriteSlices.Slice fourth = slices.next(MIB);
        assertEquals(new WriteSlices.Slice(0, 2 * MIB), fourth);
        assertFalse(slices.mustWait(fourth), "packed after the third: in flight from this round, not the last");
    }

    @Test
    void oneBufferAloneIsReusedOnceAllItsWritesEnded() {
        WriteSlices slices = new WriteSlices(1, MIB);
        WriteSlices.Slice a = slices.next(MIB / 2);
        slices.started(a.buffer());
        WriteSlices.Slice b = slices.next(MIB / 2);
        assertFalse(slices.mustWait(b));
        slices.started(b.buffer());
        WriteSlices.Slice c = slices.next(1);
        assertEquals(new WriteSlices.Slice(0, 0), c);
        assertTrue(slices.mustWait(c));
        slices.ended(a.buffer());
        assertTrue(slices.mustWait(c), "one write is still in flight from it");
        slices.ended(b.buffer());
        assertFalse(slices.mustWait(c));
    }

    @Test
    void aWriteLongerThanABufferIsRefusedAndEndsAreCounted() {
        WriteSlices slices = new WriteSlices(2, MIB);
        assertThrows(IllegalArgumentException.class, () -> slices.next(MIB + 1));
        assertThrows(IllegalStateException.class, () -> slices.ended(0));
    }
}
