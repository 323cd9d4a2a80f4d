package io.rbdstack.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Which deleted volumes are purged, and when they become Expunged. */
class DeferredDeletePurgeTest {

    private final ScriptedStorage storage = new ScriptedStorage();
    private final VolumeRepository volumes = mock(VolumeRepository.class);
    private final StoragePoolRepository pools = mock(StoragePoolRepository.class);
    private final SettingsRepository settings = mock(SettingsRepository.class);
    private final StoragePoolRepository.PoolRow pool = new StoragePoolRepository.PoolRow(5, "pool-uuid", "ceph1", "RBD",
            "ZONE", "zone-uuid", "z", null, null, null, null, "10.0.0.1", "rbd", "cloudstack", "Up", 1L << 30, 0L, null,
            "KVM", "RBD", Instant.now(), null);
    private DeferredDeletePurge purge;

    @BeforeEach
    void wire() {
        StoragePoolService poolService = mock(StoragePoolService.class);
        when(poolService.plugin(pool)).thenReturn(new StorageProviders.Loaded(mock(StorageProviderFactory.class), storage));
        when(pools.findById(5)).thenReturn(Optional.of(pool));
        when(pools.stored(pool)).thenReturn(new StoredPool("pool-uuid", "ceph1", PoolScope.zone("zone-uuid"),
                new PoolDefinition("10.0.0.1", "rbd", "cloudstack", null, "rbd://")));
        when(volumes.move(org.mockito.ArgumentMatchers.anyLong(), any(), any())).thenReturn(true);
        when(settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS)).thenReturn(600L);
        purge = new DeferredDeletePurge(volumes, pools, poolService, settings);
    }

    @Test
    void onlyVolumesDeletedLongerAgoThanTheDeferralAreLookedAt() {
        when(volumes.destroyedBefore(any())).thenReturn(List.of());
        Instant before = Instant.now();
        purge.purgeExpired();
        ArgumentCaptor<Instant> cutoff = ArgumentCaptor.forClass(Instant.class);
        verify(volumes).destroyedBefore(cutoff.capture());
        Duration age = Duration.between(cutoff.getValue(), before);
        assertEquals(600, age.toSeconds(), 1, "deleted at least the deferral ago: " + age);
    }

    @Test
    void aPurgedVolumeIsExpungedAndOneTheStorageStillKeepsStaysDestroyed() {
        when(volumes.destroyedBefore(any())).thenReturn(List.of(
                new VolumeRepository.DeletedVolume(1, "u1", "a", 5, "img-a"),
                new VolumeRepository.DeletedVolume(2, "u2", "b", 5, "img-b")));
        storage.keptByStorage.add("img-b");
        assertEquals(1, purge.purgeExpired());
        assertEquals(List.of("purge img-a", "purge img-b"), storage.calls);
        verify(volumes).move(1, VolumeState.Destroyed, VolumeState.Expunged);
        verify(volumes, never()).move(2, VolumeState.Destroyed, VolumeState.Expunged);
    }

    @Test
    void anUnreachableStorageLeavesTheVolumeDestroyedForTheNextRun() {
        when(volumes.destroyedBefore(any())).thenReturn(List.of(new VolumeRepository.DeletedVolume(1, "u1", "a", 5,
                "img-a")));
        storage.failPurge = new StorageException(StorageException.Kind.UNAVAILABLE, "no host Up");
        assertEquals(0, purge.purgeExpired());
        verify(volumes, never()).move(1, VolumeState.Destroyed, VolumeState.Expunged);
    }
}
