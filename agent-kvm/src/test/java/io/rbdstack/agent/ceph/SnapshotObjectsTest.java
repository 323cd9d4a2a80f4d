package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What one extent of a per-object read gives, from the operation's and the extent's results. */
class SnapshotObjectsTest {

    @Test
    void aShortObjectReadsAsZeroesPastItsEndAndAWholeExtentIsLeftAsRead() {
        try (Memory buffer = new Memory(100)) {
            buffer.setMemory(0, 100, (byte) 7);
            assertEquals(100, SnapshotObjects.extent(0, 0, 60, buffer, 100));
            byte[] expected = new byte[100];
            Arrays.fill(expected, 0, 60, (byte) 7);
            assertArrayEquals(expected, buffer.getByteArray(0, 100));

            buffer.setMemory(0, 100, (byte) 7);
            assertEquals(100, SnapshotObjects.extent(0, 0, 100, buffer, 100));
            Arrays.fill(expected, (byte) 7);
            assertArrayEquals(expected, buffer.getByteArray(0, 100), "a whole extent is not touched");
        }
    }

    @Test
    void theOperationsOrTheExtentsFailureIsTheExtentsAndAMissingObjectIsOne() {
        try (Memory buffer = new Memory(16)) {
            assertEquals(-CephErrors.ENOENT, SnapshotObjects.extent(-CephErrors.ENOENT, 0, 0, buffer, 16),
                    "no object at the snapshot: the snapshot went, not zeroes");
            assertEquals(-CephErrors.EIO, SnapshotObjects.extent(0, -CephErrors.EIO, 0, buffer, 16));
            assertEquals(-CephErrors.EIO, SnapshotObjects.extent(-CephErrors.EIO, 0, 16, buffer, 16));
        }
    }

    @Test
    void onlyAnImageThatSharesNoBytesWithAParentIsReadDirectly() {
        assertFalse(SnapshotObjects.sharesWithParent(0, 0), "no parent at a snapshot: 0 bytes shared");
        assertFalse(SnapshotObjects.sharesWithParent(-CephErrors.ENOENT, 0), "no parent");
        assertTrue(SnapshotObjects.sharesWithParent(0, 16 << 20), "a clone");
        assertTrue(SnapshotObjects.sharesWithParent(-CephErrors.EIO, 0), "unknown: through librbd");
    }
}
