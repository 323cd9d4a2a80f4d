package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SliceRingTest {

    private static final int BUFFER = 1024;
    private final List<Memory> buffers = List.of(new Memory(BUFFER), new Memory(BUFFER), new Memory(BUFFER));
    private final SliceRing ring = new SliceRing(buffers, BUFFER);

    @AfterEach
    void free() {
        buffers.forEach(Memory::close);
    }

    /** [buffer index, offset in it] of a slice. */
    private long[] where(Pointer slice) {
        for (int i = 0; i < buffers.size(); i++) {
            long offset = Pointer.nativeValue(slice) - Pointer.nativeValue(buffers.get(i));
            if (offset >= 0 && offset < BUFFER) {
                return new long[] {i, offset};
            }
        }
        throw new AssertionError("a slice outside the buffers");
    }

    @Test
    void slicesFollowEachOtherAndOneThatDoesNotFitABuffersEndStartsTheNext() {
        Pointer a = ring.take(600);
        Pointer b = ring.take(300);
        Pointer c = ring.take(200); // 124 bytes left in the first buffer: the next one
        assertEquals(0, where(a)[1]);
        assertEquals(600, where(b)[1]);
        assertEquals(1, where(c)[0]);
        assertEquals(0, where(c)[1]);
        assertEquals(3, ring.taken());
        assertEquals(1100, ring.takenBytes());
    }

    @Test
    void aFullRingHasRoomAgainAtItsStartOnceTheOldestGoBack() {
        Pointer first = ring.take(BUFFER);
        Pointer second = ring.take(BUFFER);
        ring.take(BUFFER);
        assertNull(ring.take(1), "every buffer taken");
        ring.giveBackOldest(first);
        Pointer again = ring.take(BUFFER);
        assertNotNull(again);
        assertEquals(0, where(again)[0], "around to the first buffer");
        assertNull(ring.take(1));
        ring.giveBackOldest(second);
        assertEquals(1, where(ring.take(512))[0]);
    }

    @Test
    void aSliceNeverOverlapsTheOldestWhenTheRingWrapsAround() {
        Pointer a = ring.take(1000);
        Pointer b = ring.take(1000);
        Pointer c = ring.take(1000);
        ring.giveBackOldest(a);
        Pointer d = ring.take(500); // the first buffer again
        assertEquals(0, where(d)[0]);
        assertNull(ring.take(600), "500 bytes left before b");
        Pointer e = ring.take(500);
        assertEquals(500, where(e)[1]);
        assertNull(ring.take(100), "24 bytes left before b");
        ring.giveBackOldest(b);
        ring.giveBackOldest(c);
        assertEquals(1, where(ring.take(1024))[0]);
    }

    @Test
    void theNewestSliceCanBeTakenBackAndTheNextTakesItsPlace() {
        ring.take(100);
        Pointer b = ring.take(1000); // skips to the second buffer
        ring.giveBackNewest(b);
        Pointer c = ring.take(900);
        assertEquals(100, where(c)[1], "straight after the first slice again");
        assertEquals(0, where(c)[0]);
    }

    @Test
    void aRingStartedOnOneBufferTakesInAnotherOnlyWhenASliceFindsNoRoom() {
        java.util.Iterator<Memory> more = buffers.subList(1, buffers.size()).iterator();
        SliceRing growing = new SliceRing(buffers.subList(0, 1), BUFFER, buffers.size(),
                () -> more.hasNext() ? more.next() : null);
        growing.giveBackOldest(growing.take(600));
        Pointer a = growing.take(600); // an empty ring starts at its first buffer again
        assertEquals(0, where(a)[1]);
        assertEquals(1, growing.buffersInUse());
        Pointer b = growing.take(600);
        assertEquals(2, growing.buffersInUse());
        assertEquals(1, where(b)[0]);
        growing.giveBackOldest(a);
        Pointer c = growing.take(600); // room at the ring's start again: no third buffer
        assertEquals(0, where(c)[0]);
        assertNull(growing.take(1000), "around the end (b, then c): no buffer may join between them");
        assertEquals(2, growing.buffersInUse());
    }

    @Test
    void slicesGoBackInTheOrderTheyWereTakenOnly() {
        Pointer a = ring.take(10);
        Pointer b = ring.take(10);
        assertThrows(IllegalStateException.class, () -> ring.giveBackOldest(b));
        assertThrows(IllegalStateException.class, () -> ring.giveBackNewest(a));
        assertThrows(IllegalArgumentException.class, () -> ring.take(BUFFER + 1));
        assertThrows(IllegalArgumentException.class, () -> ring.take(0));
    }

    @Test
    void slicesTakenAndGivenBackInTurnNeverOverlapNorSpanTwoBuffers() {
        for (int first = 1; first <= buffers.size(); first++) {
            for (boolean refused : new boolean[] {false, true}) {
                java.util.Iterator<Memory> more = buffers.subList(first, buffers.size()).iterator();
                Random random = new Random(14 + first);
                boolean[] refuse = {false};
                SliceRing ring = new SliceRing(buffers.subList(0, first), BUFFER, buffers.size(),
                        () -> refuse[0] || !more.hasNext() ? null : more.next());
                Deque<Pointer> live = new ArrayDeque<>();
                Deque<long[]> extents = new ArrayDeque<>();
                int taken = 0;
                for (int step = 0; step < 20_000; step++) {
                    refuse[0] = refused && random.nextBoolean(); // the budget lends another buffer or not
                    int action = random.nextInt(6);
                    if (!live.isEmpty() && action < 2) {
                        ring.giveBackOldest(live.poll());
                        extents.poll();
                        continue;
                    }
                    if (!live.isEmpty() && action == 2) { // a read that could not be queued after all
                        ring.giveBackNewest(live.pollLast());
                        extents.pollLast();
                        continue;
                    }
                    int length = 1 + random.nextInt(random.nextBoolean() ? 100 : BUFFER);
                    Pointer slice = ring.take(length);
                    if (slice == null) {
                        assertTrue(!live.isEmpty(), "an empty ring has room for any slice of a buffer");
                        continue;
                    }
                    taken++;
                    long[] at = where(slice);
                    assertTrue(at[1] + length <= BUFFER, "within its buffer");
                    long start = at[0] * BUFFER + at[1];
                    for (long[] other : extents) {
                        assertTrue(start + length <= other[0] || other[1] <= start, "no overlap");
                    }
                    live.add(slice);
                    extents.add(new long[] {start, start + length});
                    assertEquals(extents.stream().mapToLong(e -> e[1] - e[0]).sum(), ring.takenBytes());
                }
                assertTrue(taken > 5_000, taken + " slices taken");
                assertEquals(buffers.size(), ring.buffersInUse(), "grown to all it may have");
            }
        }
    }
}
