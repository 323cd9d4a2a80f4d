package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Data that reads as zeroes becomes a zero record, as rbd export-diff writes it: which buffers are all zeroes. */
class RbdBackupsZeroDataTest {

    @Test
    void buffersOfZeroesOfAnyLengthAreZero() {
        for (int length : new int[] {1, 4095, 64 << 10, (64 << 10) + 1, 4 << 20}) {
            assertTrue(RbdBackups.isZero(ByteBuffer.allocate(length)), "heap, " + length);
            assertTrue(RbdBackups.isZero(ByteBuffer.allocateDirect(length)), "direct, " + length);
        }
    }

    @Test
    void oneNonZeroByteAnywhereIsData() {
        int length = (4 << 20) - 3;
        for (int at : new int[] {0, 1, (64 << 10) - 1, 64 << 10, (2 << 20) + 7, length - 1}) {
            ByteBuffer direct = ByteBuffer.allocateDirect(length);
            direct.put(at, (byte) 1);
            assertFalse(RbdBackups.isZero(direct), "a 1 at " + at);
            assertEquals(0, direct.position(), "position kept");
        }
    }

    @Test
    void onlyTheRemainingBytesCount() {
        ByteBuffer data = ByteBuffer.allocate(100);
        data.put(9, (byte) 5);
        data.position(10);
        assertTrue(RbdBackups.isZero(data), "the 5 lies before the position");
        data.position(0).limit(9);
        assertTrue(RbdBackups.isZero(data), "and past the limit");
        data.limit(10);
        assertFalse(RbdBackups.isZero(data));
    }
}
