package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A backup holds more small reads (an incremental's extents) than large ones while its digest runs behind. */
class RbdBackupsHeldWhileHashingTest {

    @Test
    void aBackupHoldsTwoWholeObjectsOrUpToEightSmallReadsForItsDigest() {
        assertEquals(2, RbdBackups.heldWhileHashing(4 << 20));
        assertEquals(2, RbdBackups.heldWhileHashing(3 << 20));
        assertEquals(4, RbdBackups.heldWhileHashing(1 << 20));
        assertEquals(8, RbdBackups.heldWhileHashing(64 << 10));
        assertEquals(8, RbdBackups.heldWhileHashing(1));
    }
}
