package io.rbdstack.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.storage.StorageProviders;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProviderFactory;
import io.rbdstack.spi.storage.StoredPool;
import io.rbdstack.spi.storage.VolumeInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order of things in VolumeService, with the database and the storage stood in for: what a
 * failure leaves behind and which state the volume ends in.
 */
class VolumeServiceTest {

    private static final long GB = 1L << 30;

    private final ScriptedStorage storage = new ScriptedStorage();
    private final VolumeRepository volumes = mock(VolumeRepository.class);
    private final StoragePoolRepository pools = mock(StoragePoolRepository.class);
    private final SettingsRepository settings = mock(SettingsRepository.class);
    private final StoragePoolRepository.PoolRow pool = new StoragePoolRepository.PoolRow(5, "pool-uuid", "ceph1", "RBD",
            "ZONE", "zone-uuid", "z", null, null, null, null, "10.0.0.1", "rbd", "cloudstack", "Up", 10 * GB, 0L, null,
            "KVM", "RBD", Instant.now(), null);
    private VolumeService service;
    private final List<Long> deletedImages = new ArrayList<>();
    private final List<Long> busyVolumes = new ArrayList<>();

    @BeforeEach
    void wire() {
        StoragePoolService poolService = mock(StoragePoolService.class);
        when(poolService.plugin(pool)).thenReturn(new StorageProviders.Loaded(mock(StorageProviderFactory.class), storage));
        when(pools.findById(5)).thenReturn(Optional.of(pool));
        when(pools.stored(pool)).thenReturn(new StoredPool("pool-uuid", "ceph1", PoolScope.zone("zone-uuid"),
                new PoolDefinition("10.0.0.1", "rbd", "cloudstack", null, "rbd://")));
        when(volumes.move(anyLong(), any(), any())).thenReturn(true);
        when(volumes.moveToReady(anyLong(), any(), any(), anyLong(), any())).thenReturn(true);
        when(settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS)).thenReturn(0L);
        Jdbc jdbc = mock(Jdbc.class);
        org.mockito.Mockito.doAnswer(call -> {
            ((Runnable) call.getArgument(0)).run();
            return null;
        }).when(jdbc).transaction(any());
        when(settings.value(Setting.STORAGE_OVERPROVISIONING_FACTOR)).thenReturn("1");
        service = new VolumeService(jdbc, volumes, pools, poolService, settings, new VolumeSnapshots() {
            @Override
            public boolean busy(long volumeId) {
                return busyVolumes.contains(volumeId);
            }

            @Override
            public void imageDeleted(long volumeId) {
                deletedImages.add(volumeId);
            }
        }, io.rbdstack.server.limit.LimitCheck.NONE);
    }

    private static VolumeRepository.VolumeRow volume(VolumeState state, long size) {
        return new VolumeRepository.VolumeRow(42, "vol-uuid", "data1", 2, "admin", "dom", "ROOT", 1, "zone-uuid", "z",
                5L, "pool-uuid", "ceph1", null, null, null, null, "DATADISK", size, "vol-uuid", state, Instant.now());
    }

    @Test
    void aCreatedVolumeIsReadyWithWhatTheStorageReports() {
        when(volumes.find("vol-uuid")).thenReturn(Optional.of(volume(VolumeState.Ready, GB)));
        service.create(volume(VolumeState.Allocated, GB));
        assertEquals(List.of("create vol-uuid " + GB), storage.calls);
        verify(volumes).move(42, VolumeState.Allocated, VolumeState.Creating);
        verify(volumes).moveToReady(42, VolumeState.Creating, "vol-uuid", GB, null);
    }

    @Test
    void aFailedCreateDeletesWhatTheStorageMayHaveMadeAndEndsInError() {
        storage.failCreate = new StorageException(StorageException.Kind.FAILED, "Could not create RBD image: EPERM");
        ApiException e = assertThrows(ApiException.class, () -> service.create(volume(VolumeState.Allocated, GB)));
        assertEquals(ApiErrorCode.INTERNAL_ERROR, e.errorCode());
        assertEquals("Volume data1 was not created: Could not create RBD image: EPERM", e.getMessage());
        assertEquals(List.of("create vol-uuid " + GB, "delete vol-uuid 0"), storage.calls, "the delete is immediate");
        verify(volumes).move(42, VolumeState.Creating, VolumeState.Error);
        verify(volumes, never()).moveToReady(anyLong(), any(), any(), anyLong(), any());
    }

    @Test
    void whenRecordingTheCreatedVolumeFailsTheImageIsDeletedAgain() {
        when(volumes.moveToReady(anyLong(), any(), any(), anyLong(), any()))
                .thenThrow(new io.rbdstack.server.db.DataAccessException("SQL failed", null));
        ApiException e = assertThrows(ApiException.class, () -> service.create(volume(VolumeState.Allocated, GB)));
        assertEquals(ApiErrorCode.INTERNAL_ERROR, e.errorCode());
        assertEquals(List.of("create vol-uuid " + GB, "delete vol-uuid 0"), storage.calls);
        verify(volumes).move(42, VolumeState.Creating, VolumeState.Error);
    }

    @Test
    void aVolumeNoLongerAllocatedIsNotCreated() {
        when(volumes.move(42, VolumeState.Allocated, VolumeState.Creating)).thenReturn(false);
        assertThrows(ApiException.class, () -> service.create(volume(VolumeState.Allocated, GB)));
        assertEquals(List.of(), storage.calls);
    }

    @Test
    void anUnavailableHostIs534() {
        storage.failCreate = new StorageException(StorageException.Kind.UNAVAILABLE, "No host is Up");
        ApiException e = assertThrows(ApiException.class, () -> service.create(volume(VolumeState.Allocated, GB)));
        assertEquals(ApiErrorCode.RESOURCE_UNAVAILABLE_ERROR, e.errorCode());
    }

    @Test
    void deleteWithoutDeferralExpungesAndWithDeferralDestroys() {
        service.delete(volume(VolumeState.Ready, GB));
        verify(volumes).move(42, VolumeState.Ready, VolumeState.Destroying);
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Expunged);

        when(settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS)).thenReturn(600L);
        service.delete(volume(VolumeState.Ready, GB));
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Destroyed);
        assertEquals(List.of("delete vol-uuid 0", "delete vol-uuid 600"), storage.calls);
        assertEquals(List.of(42L, 42L), deletedImages, "its snapshots are recorded as gone each time");
    }

    @Test
    void aDeferralTheStorageChoosesItselfAlsoMeansDestroyed() {
        storage.keepSeconds = 3600;
        service.delete(volume(VolumeState.Ready, GB));
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Destroyed);
        verify(volumes, never()).move(42, VolumeState.Destroying, VolumeState.Expunged);
    }

    @Test
    void aNegativeDeferralSettingCountsAsNone() {
        when(settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS)).thenReturn(-5L);
        service.delete(volume(VolumeState.Ready, GB));
        assertEquals(List.of("delete vol-uuid 0"), storage.calls);
    }

    @Test
    void aFailedDeleteLeavesTheVolumeReady() {
        storage.failDelete = new StorageException(StorageException.Kind.FAILED, "a client still has it open");
        ApiException e = assertThrows(ApiException.class, () -> service.delete(volume(VolumeState.Ready, GB)));
        assertEquals("Volume data1 was not deleted: a client still has it open", e.getMessage());
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Ready);
        assertEquals(List.of(), deletedImages, "its snapshots are still there");
    }

    @Test
    void aVolumeStillOpenByAClientIsLeftExpungingForTheCleanupWhenItsVmIsExpungedAndKeptReadyOtherwise() {
        storage.failDelete = new StorageException(StorageException.Kind.IN_USE, "a client still has it open: EBUSY");
        assertFalse(service.deleteWithItsVm(volume(VolumeState.Ready, GB)), "left to the storage cleanup");
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Expunging);
        assertEquals(List.of(42L), deletedImages, "its snapshots go with it");

        ApiException alone = assertThrows(ApiException.class, () -> service.delete(volume(VolumeState.Ready, GB)));
        assertTrue(alone.getMessage().contains("a client still has it open"), alone.getMessage());
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Ready);

        storage.failDelete = new StorageException(StorageException.Kind.FAILED, "EIO");
        assertThrows(ApiException.class, () -> service.deleteWithItsVm(volume(VolumeState.Ready, GB)));
        verify(volumes, org.mockito.Mockito.times(2)).move(42, VolumeState.Destroying, VolumeState.Ready);
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Expunging);

        storage.failDelete = null;
        assertTrue(service.deleteWithItsVm(volume(VolumeState.Ready, GB)), "deleted now");
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Expunged);
    }

    @Test
    void aVolumeWhoseSnapshotIsBeingBackedUpIsNotDeletedAndStaysReady() {
        busyVolumes.add(42L);
        ApiException e = assertThrows(ApiException.class, () -> service.delete(volume(VolumeState.Ready, GB)));
        assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("being taken or backed up"), e.getMessage());
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Ready);
        assertEquals(List.of(), storage.calls);
        assertEquals(List.of(), deletedImages);
    }

    @Test
    void aVolumeSomeoneElseIsWorkingOnIsNotDeleted() {
        when(volumes.move(42, VolumeState.Ready, VolumeState.Destroying)).thenReturn(false);
        ApiException e = assertThrows(ApiException.class, () -> service.delete(volume(VolumeState.Ready, GB)));
        assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode());
        assertTrue(e.getMessage().contains("is no longer Ready"), e.getMessage());
        assertEquals(List.of(), storage.calls);
    }

    @Test
    void aResizeRecordsTheNewSizeAndOffering() {
        when(volumes.find("vol-uuid")).thenReturn(Optional.of(volume(VolumeState.Ready, 2 * GB)));
        service.resize(volume(VolumeState.Resizing, GB), 2 * GB, 9L);
        assertEquals(List.of("resize vol-uuid " + 2 * GB), storage.calls);
        verify(volumes).moveToReady(42, VolumeState.Resizing, "vol-uuid", 2 * GB, 9L);
    }

    @Test
    void aFailedResizeLeavesTheVolumeReadyAtTheSizeTheStorageReports() {
        storage.failResize = new StorageException(StorageException.Kind.FAILED, "EIO");
        storage.onStorage.put("vol-uuid", new VolumeInfo("vol-uuid", GB));
        assertThrows(ApiException.class, () -> service.resize(volume(VolumeState.Resizing, GB), 2 * GB, 9L));
        verify(volumes).moveToReady(42, VolumeState.Resizing, "vol-uuid", GB, null);
    }

    @Test
    void aResizeWhoseAnswerWasLostButHappenedKeepsTheNewSizeAndOffering() {
        storage.failResize = new StorageException(StorageException.Kind.FAILED, "timed out");
        storage.onStorage.put("vol-uuid", new VolumeInfo("vol-uuid", 2 * GB));
        assertThrows(ApiException.class, () -> service.resize(volume(VolumeState.Resizing, GB), 2 * GB, 9L));
        verify(volumes).moveToReady(42, VolumeState.Resizing, "vol-uuid", 2 * GB, 9L);
    }

    @Test
    void whenTheStorageCannotSayAFailedResizeFallsBackToTheOldSize() {
        storage.failResize = new StorageException(StorageException.Kind.UNAVAILABLE, "no host Up");
        storage.failDescribe = new StorageException(StorageException.Kind.UNAVAILABLE, "no host Up");
        assertThrows(ApiException.class, () -> service.resize(volume(VolumeState.Resizing, GB), 2 * GB, 9L));
        verify(volumes).moveToReady(42, VolumeState.Resizing, "vol-uuid", GB, null);
    }

    @Test
    void beginResizeRecordsTheTargetSizeSoTheGrowthHoldsCapacity() {
        when(volumes.moveToResizing(42, 2 * GB)).thenReturn(true);
        when(pools.allocatedBytes(5)).thenReturn(GB);
        service.beginResize(volume(VolumeState.Ready, GB), 2 * GB);
        verify(volumes).moveToResizing(42, 2 * GB);
    }

    @Test
    void beginResizeRefusesAGrowthBeyondThePoolsRoom() {
        when(pools.allocatedBytes(5)).thenReturn(9 * GB); // 10 GB pool, factor 1: 1 GB of room
        ApiException e = assertThrows(ApiException.class, () -> service.beginResize(volume(VolumeState.Ready, GB),
                3 * GB));
        assertEquals(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, e.errorCode());
        verify(volumes, never()).moveToResizing(anyLong(), anyLong());
    }
}
