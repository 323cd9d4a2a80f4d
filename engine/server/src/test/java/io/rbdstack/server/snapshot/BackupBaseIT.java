package io.rbdstack.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.server.FreshServer;
import io.rbdstack.server.StagedVolumes;
import io.rbdstack.server.db.Jdbc;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * backupBase and backupParents on the real MariaDB, under MySQL 5.7's sql_mode: which earlier snapshot a backup
 * builds on (BackedUp, still on primary, its backup Ready, after the volume's last damaged backup, not deleted), and
 * the volume's chain links (its own Ready backups only, those of deleted snapshots included).
 */
class BackupBaseIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static Jdbc jdbc;
    static SnapshotRepository snapshots;
    static long volume;
    static long otherVolume;

    @BeforeAll
    static void stage() throws Exception {
        // This test's own rows only: the server's cleanup would collect the staged snapshots meanwhile.
        assertEquals(200, cloud.admin().call("updateConfiguration", "name", "storage.cleanup.enabled", "value",
                "false").status());
        jdbc = new Jdbc(cloud.db().dataSource());
        snapshots = new SnapshotRepository(jdbc);
        StagedVolumes staged = new StagedVolumes(cloud.db());
        staged.volume(1, "chained", "Ready");
        staged.volume(1, "other", "Ready");
        volume = jdbc.queryLong("SELECT id FROM volumes WHERE name = 'chained'");
        otherVolume = jdbc.queryLong("SELECT id FROM volumes WHERE name = 'other'");
    }

    private static long snapshot(long volumeId, String name, String status) {
        return jdbc.insert("INSERT INTO snapshots (uuid, name, volume_id, account_id, domain_id, data_center_id,"
                + " snapshot_type, size, status, hypervisor_type, created) SELECT UUID(), ?, id, account_id, domain_id,"
                + " data_center_id, 'MANUAL', size, ?, 'KVM', UTC_TIMESTAMP() FROM volumes WHERE id = ?", name, status,
                volumeId);
    }

    private static void ref(long snapshotId, long volumeId, String role, String state, Long parent) {
        jdbc.update("INSERT INTO snapshot_store_ref (snapshot_id, store_id, store_role, volume_id, install_path,"
                + " parent_snapshot_id, size, physical_size, checksum, state, created) VALUES (?, 1, ?, ?, ?, ?, 1, 1,"
                + " ?, ?, UTC_TIMESTAMP())", snapshotId, role, volumeId, "p/" + snapshotId, parent,
                "Image".equals(role) ? "00" : null, state);
    }

    /** A BackedUp snapshot on primary whose backup builds on {@code parent} (null: a full one). */
    private static long backedUp(long volumeId, String name, Long parent) {
        long id = snapshot(volumeId, name, "BackedUp");
        ref(id, volumeId, "Primary", "Ready", null);
        ref(id, volumeId, "Image", "Ready", parent);
        return id;
    }

    @Test
    void theBaseIsTheNewestBackedUpSnapshotStillOnPrimaryAfterTheLastDamagedBackup() {
        long full = backedUp(volume, "full", null);
        long first = backedUp(volume, "first", full);
        long offPrimary = snapshot(volume, "off-primary", "BackedUp"); // its RBD snapshot deleted, its backup kept
        ref(offPrimary, volume, "Primary", "Destroyed", null);
        ref(offPrimary, volume, "Image", "Ready", first);
        long notBackedUp = snapshot(volume, "on-primary-only", "CreatedOnPrimary");
        ref(notBackedUp, volume, "Primary", "Ready", null);
        long otherVolumes = backedUp(otherVolume, "other-volume", null);
        long backingUp = snapshot(volume, "backing-up", "BackingUp");
        ref(backingUp, volume, "Primary", "Ready", null);

        assertEquals(Optional.of("first"), snapshots.backupBase(volume, backingUp).map(SnapshotRepository.SnapshotRow::name));
        assertEquals(Optional.of("full"), snapshots.backupBase(volume, first).map(SnapshotRepository.SnapshotRow::name),
                "only earlier snapshots");
        assertEquals(Optional.empty(), snapshots.backupBase(volume, full));
        Map<Long, Long> links = new HashMap<>();
        links.put(full, null);
        links.put(first, full);
        links.put(offPrimary, first);
        assertEquals(links, snapshots.backupParents(volume));
        assertEquals(2, SnapshotBackups.chainLength(snapshots.backupParents(volume), offPrimary));
        assertEquals(Collections.singletonMap(otherVolumes, null), snapshots.backupParents(otherVolume));

        // A deleted snapshot is no base, though its backup stays a link for the backups built on it.
        jdbc.update("UPDATE snapshots SET status = 'Destroyed', removed = UTC_TIMESTAMP() WHERE id = ?", first);
        assertEquals(Optional.of("full"), snapshots.backupBase(volume, backingUp).map(SnapshotRepository.SnapshotRow::name));
        assertEquals(links, snapshots.backupParents(volume));

        // Verification found the full backup damaged: nothing before it or on it is a base any more.
        jdbc.update("UPDATE snapshot_store_ref SET state = 'Error' WHERE snapshot_id = ? AND store_role = 'Image'", full);
        assertEquals(Optional.empty(), snapshots.backupBase(volume, backingUp));
        links.remove(full);
        assertEquals(links, snapshots.backupParents(volume), "a damaged backup is no link");
    }
}
