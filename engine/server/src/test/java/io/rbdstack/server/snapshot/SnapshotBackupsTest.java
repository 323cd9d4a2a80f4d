package io.rbdstack.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.imagestore.ImageStoreRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.storage.StorageProviders;
import io.rbdstack.server.volume.ScriptedStorage;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.store.DeleteBackupCommand;
import io.rbdstack.spi.storage.BackupFileRef;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.TransferProgress;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProviderFactory;
import io.rbdstack.spi.storage.StoredPool;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Full or incremental, the restore chain's order, and which backup files a delete removes. */
class SnapshotBackupsTest {

    private static final long GB = 1L << 30;

    private final ScriptedStorage storage = new ScriptedStorage();
    private final SnapshotRepository snapshots = mock(SnapshotRepository.class);
    private final ImageStoreRepository stores = mock(ImageStoreRepository.class);
    private final StoragePoolRepository pools = mock(StoragePoolRepository.class);
    private final SettingsRepository settings = mock(SettingsRepository.class);
    private final List<String> deletedFiles = new ArrayList<>();
    /** Backup refs by snapshot id, as the repository would hold them. */
    private final Map<Long, SnapshotRepository.BackupRef> refs = new HashMap<>();
    private final StoragePoolRepository.PoolRow pool = new StoragePoolRepository.PoolRow(5, "pool-uuid", "ceph1", "RBD",
            "ZONE", "zone-uuid", "z", null, null, null, null, "10.0.0.1", "rbd", "cloudstack", "Up", 10 * GB, 0L, null,
            "KVM", "RBD", Instant.now(), null);
    private final ImageStoreRepository.StoreRow store = new ImageStoreRepository.StoreRow(3, "store-uuid", "backups",
            "file", "file:///mnt/b", "SharedMountPoint", 1, "zone-uuid", "z", 100L, 10L);
    private SnapshotBackups backups;

    /** Paths whose delete the store refuses. */
    private final List<String> undeletable = new ArrayList<>();

    @BeforeEach
    void wire() throws Exception {
        StoragePoolService poolService = mock(StoragePoolService.class);
        when(poolService.plugin(pool)).thenReturn(new StorageProviders.Loaded(mock(StorageProviderFactory.class), storage));
        when(pools.findById(5)).thenReturn(Optional.of(pool));
        when(pools.stored(pool)).thenReturn(new StoredPool("pool-uuid", "ceph1", PoolScope.zone("zone-uuid"),
                new PoolDefinition("10.0.0.1", "rbd", "cloudstack", null, "rbd://")));
        when(stores.ofZone(1)).thenReturn(List.of(store));
        when(stores.findById(3)).thenReturn(Optional.of(store));
        when(snapshots.move(anyLong(), any(), any())).thenReturn(true);
        when(snapshots.backup(anyLong())).thenAnswer(call -> Optional.ofNullable(refs.get((Long) call.getArgument(0))));
        when(snapshots.backupParents(42)).thenAnswer(call -> {
            Map<Long, Long> parents = new HashMap<>();
            refs.values().forEach(r -> parents.put(r.snapshotId(), r.parentSnapshotId()));
            return parents;
        });
        when(snapshots.backupChildren(anyLong())).thenAnswer(call -> refs.values().stream()
                .filter(r -> Long.valueOf((Long) call.getArgument(0)).equals(r.parentSnapshotId())).count());
        when(settings.longValue(Setting.SNAPSHOT_DELTA_MAX)).thenReturn(2L);
        HostGateway hosts = new HostGateway() {
            @Override
            public List<String> upHosts(PoolScope scope) {
                return List.of("host-1");
            }

            @Override
            public io.rbdstack.spi.agent.Answer send(String host, AgentCommand command, Duration timeout) {
                String path = ((DeleteBackupCommand) command).path();
                if (undeletable.contains(path)) {
                    return GenericAnswer.failure("EIO");
                }
                deletedFiles.add(path);
                return GenericAnswer.ok();
            }
        };
        io.rbdstack.server.db.Jdbc jdbc = mock(io.rbdstack.server.db.Jdbc.class);
        org.mockito.Mockito.doAnswer(call -> {
            ((Runnable) call.getArgument(0)).run();
            return null;
        }).when(jdbc).transaction(any());
        backups = new SnapshotBackups(jdbc, snapshots, stores, pools, poolService, settings, hosts,
                mock(io.rbdstack.server.alert.Alerts.class), io.rbdstack.server.limit.LimitCheck.NONE);
    }

    private static SnapshotRepository.SnapshotRow snapshot(long id, SnapshotState state) {
        return new SnapshotRepository.SnapshotRow(id, "snap-" + id, "s" + id, 42, "vol-uuid", "data1", "DATADISK",
                "vol-uuid", 5L, 2, "admin", "dom", "ROOT", 1, "zone-uuid", "z", "MANUAL", GB, state, Instant.now(),
                "vol-uuid@snap-" + id, 0, SnapshotRepository.BackupPlace.NONE);
    }

    private void backedUp(long id, Long parent) {
        refs.put(id, new SnapshotRepository.BackupRef(id, 3, "snapshots/2/42/snap-" + id + ".rbddiff", parent, "sha" + id));
    }

    @Test
    void theFirstBackupOfAVolumeIsFull() {
        when(snapshots.backupBase(42, 1)).thenReturn(Optional.empty());
        when(snapshots.find("snap-1")).thenReturn(Optional.of(snapshot(1, SnapshotState.BackedUp)));
        backups.backup(snapshot(1, SnapshotState.BackingUp), TransferProgress.NONE);
        assertEquals(List.of("backup vol-uuid@snap-1 from null to snapshots/2/42/snap-1.rbddiff"), storage.calls);
        verify(snapshots).recordBackup(1, 3, 42, "snapshots/2/42/snap-1.rbddiff", null, GB, 1000, "00");
        verify(snapshots).move(1, SnapshotState.BackingUp, SnapshotState.BackedUp);
    }

    @Test
    void aBackupIsIncrementalToTheBaseUntilTheChainReachesDeltaMax() {
        backedUp(1, null);
        backedUp(2, 1L);
        when(snapshots.find(any())).thenReturn(Optional.of(snapshot(9, SnapshotState.BackedUp)));
        // Base 1 is full (chain length 0 < 2): incremental.
        when(snapshots.backupBase(42, 3)).thenReturn(Optional.of(snapshot(1, SnapshotState.BackedUp)));
        backups.backup(snapshot(3, SnapshotState.BackingUp), TransferProgress.NONE);
        verify(snapshots).recordBackup(eq(3L), eq(3L), eq(42L), any(), eq(1L), anyLong(), anyLong(), any());
        // Base 2 is one incremental deep (1 < 2): incremental.
        when(snapshots.backupBase(42, 4)).thenReturn(Optional.of(snapshot(2, SnapshotState.BackedUp)));
        backups.backup(snapshot(4, SnapshotState.BackingUp), TransferProgress.NONE);
        verify(snapshots).recordBackup(eq(4L), eq(3L), eq(42L), any(), eq(2L), anyLong(), anyLong(), any());
        // A base two incrementals deep: the next one is full again.
        backedUp(5, 2L);
        when(snapshots.backupBase(42, 6)).thenReturn(Optional.of(snapshot(5, SnapshotState.BackedUp)));
        backups.backup(snapshot(6, SnapshotState.BackingUp), TransferProgress.NONE);
        verify(snapshots).recordBackup(eq(6L), eq(3L), eq(42L), any(), eq(null), anyLong(), anyLong(), any());
        assertEquals("backup vol-uuid@snap-6 from null to snapshots/2/42/snap-6.rbddiff", storage.calls.get(2));
    }

    @Test
    void aFailedBackupLeavesTheSnapshotOnPrimaryAndRecordsNothing() {
        storage.failBackup = new StorageException(StorageException.Kind.FAILED, "ENOSPC");
        ApiException e = assertThrows(ApiException.class, () -> backups.backup(snapshot(1, SnapshotState.BackingUp), TransferProgress.NONE));
        assertEquals("Snapshot s1 was not backed up: ENOSPC", e.getMessage());
        verify(snapshots).move(1, SnapshotState.BackingUp, SnapshotState.CreatedOnPrimary);
        verify(snapshots, never()).recordBackup(anyLong(), anyLong(), anyLong(), any(), any(), anyLong(), anyLong(),
                any());
    }

    @Test
    void theRestoreChainStartsWithTheFullBackup() {
        backedUp(1, null);
        backedUp(2, 1L);
        backedUp(3, 2L);
        assertEquals(List.of("snapshots/2/42/snap-1.rbddiff", "snapshots/2/42/snap-2.rbddiff",
                "snapshots/2/42/snap-3.rbddiff"), backups.chain(3).stream().map(BackupFileRef::path).toList());
        assertEquals(List.of("sha1", "sha2", "sha3"), backups.chain(3).stream().map(BackupFileRef::sha256).toList());
    }

    @Test
    void aChainWithAMissingLinkIsAnErrorNotAWrongRestore() {
        backedUp(3, 2L); // 2's backup is gone
        assertThrows(ApiException.class, () -> backups.chain(3));
    }

    @Test
    void deletingKeepsFilesLaterBackupsNeedAndRemovesParentsNothingNeedsAnyMore() throws Exception {
        backedUp(1, null);
        backedUp(2, 1L);
        backedUp(3, 2L);
        org.mockito.Mockito.doAnswer(call -> refs.remove((Long) call.getArgument(0))).when(snapshots)
                .backupGone(anyLong());
        // 2 has a dependant (3): its file stays.
        backups.deleteBackupOf(snapshot(2, SnapshotState.Destroying));
        assertEquals(List.of(), deletedFiles);
        // 1's snapshot is deleted too (its file stays for 2 and 3).
        when(snapshots.removed(1)).thenReturn(true);
        when(snapshots.removed(2)).thenReturn(true);
        backups.deleteBackupOf(snapshot(1, SnapshotState.Destroying));
        assertEquals(List.of(), deletedFiles);
        // 3, the last: its file, then 2's and 1's, whose snapshots are gone.
        backups.deleteBackupOf(snapshot(3, SnapshotState.Destroying));
        assertEquals(List.of("snapshots/2/42/snap-3.rbddiff", "snapshots/2/42/snap-2.rbddiff",
                "snapshots/2/42/snap-1.rbddiff"), deletedFiles);
    }

    @Test
    void aBackupNeedsCreatedOnPrimaryAndAnImageStore() {
        when(snapshots.find("snap-1")).thenReturn(Optional.of(snapshot(1, SnapshotState.BackedUp)));
        assertThrows(ApiException.class, () -> backups.beginBackup(snapshot(1, SnapshotState.BackedUp)));
        when(stores.ofZone(1)).thenReturn(List.of());
        when(snapshots.find("snap-1")).thenReturn(Optional.of(snapshot(1, SnapshotState.CreatedOnPrimary)));
        ApiException e = assertThrows(ApiException.class, () -> backups.beginBackup(snapshot(1,
                SnapshotState.CreatedOnPrimary)));
        assertEquals(true, e.getMessage().contains("addImageStore"), e.getMessage());
        verify(snapshots, never()).move(anyLong(), any(), any());
    }

    @Test
    void aBackupBacksOffWhenItsVolumeIsBeingDeletedMeanwhile() {
        when(snapshots.find("snap-1")).thenReturn(Optional.of(snapshot(1, SnapshotState.CreatedOnPrimary)));
        when(snapshots.find("snap-2")).thenReturn(Optional.of(snapshot(2, SnapshotState.CreatedOnPrimary)));
        when(snapshots.volumeKeepsImage(42)).thenReturn(true);
        backups.beginBackup(snapshot(1, SnapshotState.CreatedOnPrimary));
        verify(snapshots).move(1, SnapshotState.CreatedOnPrimary, SnapshotState.BackingUp);

        when(snapshots.volumeKeepsImage(42)).thenReturn(false);
        ApiException e = assertThrows(ApiException.class, () -> backups.beginBackup(snapshot(2,
                SnapshotState.CreatedOnPrimary)));
        assertEquals(true, e.getMessage().contains("is being deleted"), e.getMessage());
        verify(snapshots).move(2, SnapshotState.BackingUp, SnapshotState.CreatedOnPrimary);
    }

    @Test
    void anAncestorThatCannotBeDeletedDoesNotFailTheDeleteOfTheSnapshotsOwnBackup() throws Exception {
        backedUp(1, null);
        backedUp(2, 1L);
        org.mockito.Mockito.doAnswer(call -> refs.remove((Long) call.getArgument(0))).when(snapshots)
                .backupGone(anyLong());
        when(snapshots.removed(1)).thenReturn(true);
        undeletable.add("snapshots/2/42/snap-1.rbddiff");
        backups.deleteBackupOf(snapshot(2, SnapshotState.Destroying));
        assertEquals(List.of("snapshots/2/42/snap-2.rbddiff"), deletedFiles);
        assertEquals(true, refs.containsKey(1L), "kept for the cleanup to collect");

        // The cleanup's sweep collects it once the store lets it.
        when(snapshots.orphanBackups()).thenAnswer(call -> refs.values().stream().toList());
        assertEquals(0, backups.collectOrphans(), "still refused");
        undeletable.clear();
        assertEquals(1, backups.collectOrphans());
        assertEquals(List.of("snapshots/2/42/snap-2.rbddiff", "snapshots/2/42/snap-1.rbddiff"), deletedFiles);
        assertEquals(false, refs.containsKey(1L));
    }

    @Test
    void aSnapshotWithoutABackupHasNoChainToRestore() {
        assertThrows(ApiException.class, () -> backups.chain(7));
    }

    @Test
    void anIncrementalBackupGoesToTheStoreOfItsBaseEvenWhenAnotherIsEmptier() {
        ImageStoreRepository.StoreRow emptier = new ImageStoreRepository.StoreRow(4, "other-uuid", "other", "file",
                "file:///mnt/other", "SharedMountPoint", 1, "zone-uuid", "z", 1000L, 0L);
        when(stores.ofZone(1)).thenReturn(List.of(emptier, store));
        backedUp(1, null); // on store 3
        when(snapshots.find(any())).thenReturn(Optional.of(snapshot(2, SnapshotState.BackedUp)));
        when(snapshots.backupBase(42, 2)).thenReturn(Optional.of(snapshot(1, SnapshotState.BackedUp)));
        backups.backup(snapshot(2, SnapshotState.BackingUp), TransferProgress.NONE);
        verify(snapshots).recordBackup(eq(2L), eq(3L), eq(42L), any(), eq(1L), anyLong(), anyLong(), any());
        // Without a base, the emptiest store takes a new chain.
        when(snapshots.backupBase(42, 5)).thenReturn(Optional.empty());
        backups.backup(snapshot(5, SnapshotState.BackingUp), TransferProgress.NONE);
        verify(snapshots).recordBackup(eq(5L), eq(4L), eq(42L), any(), eq(null), anyLong(), anyLong(), any());
    }

    @Test
    void onlyAFileOfTheSnapshotsOwnAttemptsInItsDirectoryIsRecorded() {
        String dir = SnapshotBackups.directory(2, 7);
        assertEquals("snapshots/2/7", dir);
        assertTrue(SnapshotBackups.isAttemptOf(dir + "/u1.0190c5f3a2b-1f2e3d4c.rbddiff", dir, "u1"), "an attempt's name");
        assertTrue(SnapshotBackups.isAttemptOf(dir + "/u1.rbddiff", dir, "u1"), "the plain name of agents before");
        assertFalse(SnapshotBackups.isAttemptOf(dir + "/u10.x.rbddiff", dir, "u1"), "another snapshot's");
        assertFalse(SnapshotBackups.isAttemptOf(dir + "/u1..rbddiff", dir, "u1"), "an empty attempt");
        assertFalse(SnapshotBackups.isAttemptOf(dir + "/u1.x/y.rbddiff", dir, "u1"), "below the directory");
        assertFalse(SnapshotBackups.isAttemptOf("snapshots/2/8/u1.x.rbddiff", dir, "u1"), "another volume's directory");
        assertFalse(SnapshotBackups.isAttemptOf(dir + "/u1.x.rbddiff.part", dir, "u1"), "a partial file");
        assertFalse(SnapshotBackups.isAttemptOf(null, dir, "u1"));
    }
}
