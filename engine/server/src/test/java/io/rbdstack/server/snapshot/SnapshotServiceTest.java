package io.rbdstack.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.storage.StorageProviders;
import io.rbdstack.server.volume.ScriptedStorage;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeState;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProviderFactory;
import io.rbdstack.spi.storage.StoredPool;
import io.rbdstack.spi.storage.VolumeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a failure at each step of a snapshot operation leaves behind, with the database and storage stood in for. */
class SnapshotServiceTest {

    private static final long GB = 1L << 30;

    private final ScriptedStorage storage = new ScriptedStorage();
    private final SnapshotRepository snapshots = mock(SnapshotRepository.class);
    private final VolumeRepository volumes = mock(VolumeRepository.class);
    private final StoragePoolRepository pools = mock(StoragePoolRepository.class);
    private final StoragePoolRepository.PoolRow pool = new StoragePoolRepository.PoolRow(5, "pool-uuid", "ceph1", "RBD",
            "ZONE", "zone-uuid", "z", null, null, null, null, "10.0.0.1", "rbd", "cloudstack", "Up", 10 * GB, 0L, null,
            "KVM", "RBD", Instant.now(), null);
    private SnapshotService service;

    @BeforeEach
    void wire() throws Exception {
        StoragePoolService poolService = mock(StoragePoolService.class);
        when(poolService.plugin(pool)).thenReturn(new StorageProviders.Loaded(mock(StorageProviderFactory.class), storage));
        when(pools.findById(5)).thenReturn(Optional.of(pool));
        when(pools.stored(pool)).thenReturn(new StoredPool("pool-uuid", "ceph1", PoolScope.zone("zone-uuid"),
                new PoolDefinition("10.0.0.1", "rbd", "cloudstack", null, "rbd://")));
        when(snapshots.move(anyLong(), any(), any())).thenReturn(true);
        when(snapshots.find(anyString())).thenReturn(Optional.of(snapshot(SnapshotState.CreatedOnPrimary, true)));
        when(volumes.move(anyLong(), any(), any())).thenReturn(true);
        when(volumes.moveToReady(anyLong(), any(), any(), anyLong(), any())).thenReturn(true);
        when(volumes.find("vol-uuid")).thenReturn(Optional.of(volume(VolumeState.RevertSnapshotting)));
        Jdbc jdbc = mock(Jdbc.class);
        org.mockito.Mockito.doAnswer(call -> {
            ((Runnable) call.getArgument(0)).run();
            return null;
        }).when(jdbc).transaction(any());
        service = new SnapshotService(jdbc, snapshots, volumes, pools, poolService, mock(SnapshotBackups.class),
                io.rbdstack.server.limit.LimitCheck.NONE, mock(SnapshotQuiesce.class));
    }

    private static SnapshotRepository.SnapshotRow snapshot(SnapshotState state, boolean onPrimary) {
        return new SnapshotRepository.SnapshotRow(7, "snap-uuid", "s1", 42, "vol-uuid", "data1", "DATADISK", "vol-uuid",
                5L, 2, "admin", "dom", "ROOT", 1, "zone-uuid", "z", "MANUAL", GB, state, Instant.now(),
                onPrimary ? "vol-uuid@snap-uuid" : null, 0, SnapshotRepository.BackupPlace.NONE);
    }

    private static VolumeRepository.VolumeRow volume(VolumeState state) {
        return new VolumeRepository.VolumeRow(42, "vol-uuid", "data1", 2, "admin", "dom", "ROOT", 1, "zone-uuid", "z",
                5L, "pool-uuid", "ceph1", 3L, null, null, null, "DATADISK", 2 * GB, "vol-uuid", state, Instant.now());
    }

    @Test
    void aTakenSnapshotIsRecordedOnPrimaryAndTheVolumeIsReadyAgain() {
        service.create(snapshot(SnapshotState.Allocated, false));
        assertEquals(List.of("snapshot vol-uuid@snap-uuid"), storage.calls);
        verify(snapshots).recordOnPrimary(7, 5, 42, "vol-uuid@snap-uuid", 0);
        verify(snapshots).move(7, SnapshotState.Creating, SnapshotState.CreatedOnPrimary);
        verify(volumes).move(42, VolumeState.Snapshotting, VolumeState.Ready);
    }

    @Test
    void aFailedTakeDeletesWhatTheStorageMadeEndsInErrorAndFreesTheVolume() {
        storage.failSnapshot = new StorageException(StorageException.Kind.UNAVAILABLE, "no host Up");
        ApiException e = assertThrows(ApiException.class, () -> service.create(snapshot(SnapshotState.Allocated, false)));
        assertEquals(ApiErrorCode.RESOURCE_UNAVAILABLE_ERROR, e.errorCode());
        assertEquals("Snapshot s1 of volume data1 was not taken: no host Up", e.getMessage());
        assertEquals(List.of("snapshot vol-uuid@snap-uuid", "delete snapshot vol-uuid@snap-uuid"), storage.calls);
        verify(snapshots).move(7, SnapshotState.Creating, SnapshotState.Error);
        verify(snapshots, never()).recordOnPrimary(anyLong(), anyLong(), anyLong(), any(), anyLong());
        verify(volumes).move(42, VolumeState.Snapshotting, VolumeState.Ready);
    }

    @Test
    void aFailedDeleteLeavesTheSnapshotInTheStateItHad() {
        storage.failSnapshot = new StorageException(StorageException.Kind.FAILED, "EBUSY");
        assertThrows(ApiException.class, () -> service.delete(snapshot(SnapshotState.BackedUp, true)));
        verify(snapshots).move(7, SnapshotState.Destroying, SnapshotState.BackedUp);
        verify(snapshots, never()).primaryGone(anyLong());
    }

    @Test
    void aSnapshotNoLongerOnPrimaryIsDeletedWithoutAskingTheStorage() {
        service.delete(snapshot(SnapshotState.BackedUp, false));
        assertEquals(List.of(), storage.calls);
        verify(snapshots).move(7, SnapshotState.Destroying, SnapshotState.Destroyed);
    }

    @Test
    void aRevertRecordsTheSizeTheVolumeHasAfterIt() {
        storage.onStorage.put("vol-uuid", new VolumeInfo("vol-uuid", GB));
        service.revert(snapshot(SnapshotState.CreatedOnPrimary, true));
        verify(volumes).moveToReady(42, VolumeState.RevertSnapshotting, "vol-uuid", GB, 3L);
    }

    @Test
    void aFailedRevertLeavesTheVolumeReadyAtTheSizeTheStorageReports() {
        storage.failSnapshot = new StorageException(StorageException.Kind.FAILED, "EIO");
        storage.onStorage.put("vol-uuid", new VolumeInfo("vol-uuid", 2 * GB));
        ApiException e = assertThrows(ApiException.class, () -> service.revert(snapshot(SnapshotState.CreatedOnPrimary,
                true)));
        assertEquals("Volume data1 was not reverted to snapshot s1: EIO", e.getMessage());
        verify(volumes).moveToReady(42, VolumeState.RevertSnapshotting, "vol-uuid", 2 * GB, 3L);
    }

    @Test
    void revertNeedsTheSnapshotOnPrimary() {
        when(snapshots.find("snap-uuid")).thenReturn(Optional.of(snapshot(SnapshotState.BackedUp, false)));
        ApiException e = assertThrows(ApiException.class, () -> service.beginRevert(snapshot(SnapshotState.BackedUp,
                false)));
        assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode());
        verify(volumes, never()).move(anyLong(), any(), any());
    }

    @Test
    void aSnapshotCannotBeDeletedWhileItsVolumeIsBeingReverted() {
        ApiException e = assertThrows(ApiException.class, () -> service.beginDelete(snapshot(
                SnapshotState.CreatedOnPrimary, true)));
        assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode());
        verify(snapshots, never()).move(anyLong(), any(), any());
    }
}
