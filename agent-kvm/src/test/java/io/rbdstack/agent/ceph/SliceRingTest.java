package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SliceRingTest {

    private static final int MIB = 1 << 20;

    @Test
    void wholeBufferWritesTakeOneBufferEachRoundTheRing() {
        SliceRing slices = new SliceRing(3, 4 * MIB);
        for (int i = 0; i < 7; i++) {
            SliceRing.Slice slice = slices.next(4 * MIB);
            assertEquals(new SliceRing.Slice(i % 3, 0), slice);
        }
    }

    @Test
    void smallWritesArePackedIntoOneBufferThenTheNext() {
        SliceRing slices = new SliceRing(2, 4 * MIB);
        for (int i = 0; i < 64; i++) {
            assertEquals(new SliceRing.Slice(0, i * 64 * 1024), slices.next(64 * 1024));
        }
        assertEquals(new SliceRing.Slice(1, 0), slices.next(64 * 1024), "the 65th does not fit in the first");
        assertEquals(new SliceRing.Slice(1, 64 * 1024), slices.next(4 * MIB - 64 * 1024), "the rest fits exactly");
        assertEquals(new SliceRing.Slice(0, 0), slices.next(1), "then back to the first");
    }

    @Test
    void aBufferIsReusedOnlyOnceTheWritesOfItsLastRoundEnded() {
        SliceRing slices = new SliceRing(2, 4 * MIB);
        SliceRing.Slice first = slices.next(3 * MIB);
        assertFalse(slices.mustWait(first));
        slices.started(first.buffer());
        SliceRing.Slice second = slices.next(3 * MIB);
        assertEquals(1, second.buffer());
        slices.started(second.buffer());
        SliceRing.Slice third = slices.next(2 * MIB);
        assertEquals(new SliceRing.Slice(0, 0), third);
        assertTrue(slices.mustWait(third), "the first write still uses buffer 0");
        slices.ended(first.buffer());
        assertFalse(slices.mustWait(third));
        slices.started(third.buffer());
        SliceRing.Slice fourth = slices.next(MIB);
        assertEquals(new SliceRing.Slice(0, 2 * MIB), fourth);
        assertFalse(slices.mustWait(fourth), "packed after the third: in flight from this round, not the last");
    }

    @Test
    void oneBufferAloneIsReusedOnceAllItsWritesEnded() {
        SliceRing slices = new SliceRing(1, MIB);
        SliceRing.Slice a = slices.next(MIB / 2);
        slices.started(a.buffer());
        SliceRing.Slice b = slices.next(MIB / 2);
        assertFalse(slices.mustWait(b));
        slices.started(b.buffer());
        SliceRing.Slice c = slices.next(1);
        assertEquals(new SliceRing.Slice(0, 0), c);
        assertTrue(slices.mustWait(c));
        slices.ended(a.buffer());
        assertTrue(slices.mustWait(c), "one write is still in flight from it");
        slices.ended(b.buffer());
        assertFalse(slices.mustWait(c));
    }

    @Test
    void peekingShowsTheNextSliceWithoutTakingIt() {
        SliceRing slices = new SliceRing(2, MIB);
        assertEquals(new SliceRing.Slice(0, 0), slices.peek(MIB / 2));
        assertEquals(new SliceRing.Slice(0, 0), slices.next(MIB / 2), "peeking took nothing");
        slices.started(0);
        assertEquals(new SliceRing.Slice(1, 0), slices.peek(MIB), "a whole buffer does not fit in the first's rest");
        assertEquals(new SliceRing.Slice(0, MIB / 2), slices.peek(MIB / 2), "the rest fits the same length");
        assertEquals(new SliceRing.Slice(0, MIB / 2), slices.next(MIB / 2));
        slices.started(0);
        slices.started(slices.next(MIB).buffer());
        SliceRing.Slice wrapped = slices.peek(1);
        assertEquals(new SliceRing.Slice(0, 0), wrapped);
        assertTrue(slices.mustWait(wrapped), "the first buffer's two slices are still in use");
    }

    @Test
    void aWriteLongerThanABufferIsRefusedAndEndsAreCounted() {
        SliceRing slices = new SliceRing(2, MIB);
        assertThrows(IllegalArgumentException.class, () -> slices.next(MIB + 1));
        assertThrows(IllegalStateException.class, () -> slices.ended(0));
    }
}
