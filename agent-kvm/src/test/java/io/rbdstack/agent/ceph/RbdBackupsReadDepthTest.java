package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Small reads (an incremental's extents) go more at once, within the buffer bytes of four 4 MiB reads. */
class RbdBackupsReadDepthTest {

    @Test
    void wholeObjectsGoFourAtATime() {
        assertEquals(4, RbdBackups.readsInFlight(4 << 20));
        assertEquals(4, RbdBackups.readsInFlight((4 << 20) - 1));
    }

    @Test
    void smallerReadsGoMoreAtOnceInTheSameBytes() {
        assertEquals(9, RbdBackups.readsInFlight(2 << 20));
        assertEquals(19, RbdBackups.readsInFlight(1 << 20));
        assertEquals(32, RbdBackups.readsInFlight(64 << 10));
        for (int longest : new int[] {1, 4096, 1 << 20, 3 << 20, 4 << 20}) {
            long buffers = (RbdBackups.readsInFlight(longest) + 1L) * longest;
            assertEquals(true, buffers <= 5L * (4 << 20), longest + " bytes: " + buffers + " bytes of buffers");
        }
    }

    @Test
    void aBackupHoldsTwoWholeObjectsOrUpToEightSmallReadsForItsDigest() {
        assertEquals(2, RbdBackups.heldWhileHashing(4 << 20));
        assertEquals(2, RbdBackups.heldWhileHashing(3 << 20));
        assertEquals(4, RbdBackups.heldWhileHashing(1 << 20));
        assertEquals(8, RbdBackups.heldWhileHashing(64 << 10));
        assertEquals(8, RbdBackups.heldWhileHashing(1));
    }
}
