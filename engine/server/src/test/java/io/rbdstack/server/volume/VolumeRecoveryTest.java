package io.rbdstack.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which state each kind of stuck volume is settled in, and what the storage is asked on the way. */
class VolumeRecoveryTest {

    private static final long GB = 1L << 30;

    private final ScriptedStorage storage = new ScriptedStorage();
    private final VolumeRepository volumes = mock(VolumeRepository.class);
    private final StoragePoolRepository pools = mock(StoragePoolRepository.class);
    private final StoragePoolRepository.PoolRow pool = new StoragePoolRepository.PoolRow(5, "pool-uuid", "ceph1", "RBD",
            "ZONE", "zone-uuid", "z", null, null, null, null, "10.0.0.1", "rbd", "cloudstack", "Up", 10 * GB, 0L, null,
            "KVM", "RBD", Instant.now(), null);
    private VolumeRecovery recovery;
    private final List<Long> deletedImages = new java.util.ArrayList<>();

    @BeforeEach
    void wire() {
        StoragePoolService poolService = mock(StoragePoolService.class);
        when(poolService.plugin(pool)).thenReturn(new StorageProviders.Loaded(mock(StorageProviderFactory.class), storage));
        when(pools.findById(5)).thenReturn(Optional.of(pool));
        when(pools.stored(pool)).thenReturn(new StoredPool("pool-uuid", "ceph1", PoolScope.zone("zone-uuid"),
                new PoolDefinition("10.0.0.1", "rbd", "cloudstack", null, "rbd://")));
        when(volumes.move(anyLong(), any(), any())).thenReturn(true);
        when(volumes.moveToReady(anyLong(), any(), any(), anyLong(), any())).thenReturn(true);
        recovery = new VolumeRecovery(volumes, pools, poolService, new VolumeSnapshots() {
            @Override
            public boolean busy(long volumeId) {
                return false;
            }

            @Override
            public void imageDeleted(long volumeId) {
                deletedImages.add(volumeId);
            }
        });
    }

    private static VolumeRepository.VolumeRow volume(VolumeState state, long size) {
        return new VolumeRepository.VolumeRow(42, "vol-uuid", "data1", 2, "admin", "dom", "ROOT", 1, "zone-uuid", "z",
                5L, "pool-uuid", "ceph1", 7L, null, null, null, "DATADISK", size, "vol-uuid", state, Instant.now());
    }

    @Test
    void anAllocatedVolumeGoesToErrorWithoutAskingTheStorage() throws Exception {
        assertEquals(Optional.of(VolumeState.Error), recovery.settle(volume(VolumeState.Allocated, GB)));
        verify(volumes).move(42, VolumeState.Allocated, VolumeState.Error);
        assertEquals(List.of(), storage.calls);
    }

    @Test
    void aCreatingVolumeHasWhateverTheStorageMadeDeletedAndGoesToError() throws Exception {
        assertEquals(Optional.of(VolumeState.Error), recovery.settle(volume(VolumeState.Creating, GB)));
        assertEquals(List.of("delete vol-uuid 0"), storage.calls);
        verify(volumes).move(42, VolumeState.Creating, VolumeState.Error);
    }

    @Test
    void aCreatingVolumeStaysWhenTheStorageCannotDeleteIt() {
        storage.failDelete = new StorageException(StorageException.Kind.UNAVAILABLE, "no host Up");
        org.junit.jupiter.api.Assertions.assertThrows(StorageException.class,
                () -> recovery.settle(volume(VolumeState.Creating, GB)));
        verify(volumes, never()).move(anyLong(), any(), any());
    }

    @Test
    void aResizingVolumeIsReadyAtTheSizeTheStorageHasAndKeepsItsOffering() throws Exception {
        storage.onStorage.put("vol-uuid", new VolumeInfo("vol-uuid", 3 * GB));
        assertEquals(Optional.of(VolumeState.Ready), recovery.settle(volume(VolumeState.Resizing, 4 * GB)));
        verify(volumes).moveToReady(42, VolumeState.Resizing, "vol-uuid", 3 * GB, 7L);
    }

    @Test
    void aResizingVolumeTheStorageDoesNotHaveIsLeftForAnOperator() throws Exception {
        assertEquals(Optional.empty(), recovery.settle(volume(VolumeState.Resizing, 4 * GB)));
        verify(volumes, never()).moveToReady(anyLong(), any(), any(), anyLong(), any());
    }

    @Test
    void aDestroyingVolumeStillOnTheStorageIsReadyAgain() throws Exception {
        storage.onStorage.put("vol-uuid", new VolumeInfo("vol-uuid", GB));
        assertEquals(Optional.of(VolumeState.Ready), recovery.settle(volume(VolumeState.Destroying, GB)));
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Ready);
    }

    @Test
    void aDestroyingVolumeGoneFromTheStorageIsDestroyedForThePurgeAndItsSnapshotsAreGone() throws Exception {
        assertEquals(Optional.of(VolumeState.Destroyed), recovery.settle(volume(VolumeState.Destroying, GB)));
        verify(volumes).move(42, VolumeState.Destroying, VolumeState.Destroyed);
        assertEquals(List.of(42L), deletedImages);
    }

    @Test
    void aVolumeAnotherServerSettledFirstCountsAsNotSettledHere() throws Exception {
        when(volumes.move(42, VolumeState.Allocated, VolumeState.Error)).thenReturn(false);
        assertEquals(Optional.empty(), recovery.settle(volume(VolumeState.Allocated, GB)));
    }

    @Test
    void oneVolumeThatCannotBeSettledDoesNotStopTheOthers() {
        VolumeRepository.VolumeRow creating = volume(VolumeState.Creating, GB);
        VolumeRepository.VolumeRow allocated = new VolumeRepository.VolumeRow(43, "other", "data2", 2, "admin", "dom",
                "ROOT", 1, "zone-uuid", "z", 5L, "pool-uuid", "ceph1", null, null, null, null, "DATADISK", GB, "other",
                VolumeState.Allocated, Instant.now());
        when(volumes.stuck(VolumeRecovery.QUIET_FOR)).thenReturn(List.of(creating, allocated));
        storage.failDelete = new StorageException(StorageException.Kind.UNAVAILABLE, "no host Up");
        assertEquals(1, recovery.settleStuckVolumes());
        verify(volumes).move(43, VolumeState.Allocated, VolumeState.Error);
    }
}
