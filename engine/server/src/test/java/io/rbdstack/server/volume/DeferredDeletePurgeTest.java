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
import io.rbdstack.spi.storage.StorageException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Which deleted volumes are purged, and when they become Expunged. */
class DeferredDeletePurgeTest {

    private final ScriptedPool storagePool = new ScriptedPool();
    private final ScriptedStorage storage = storagePool.storage;
    private final VolumeRepository volumes = mock(VolumeRepository.class);
    private final StoragePoolRepository pools = storagePool.pools;
    private final SettingsRepository settings = mock(SettingsRepository.class);
    private DeferredDeletePurge purge;

    @BeforeEach
    void wire() {
        when(volumes.move(org.mockito.ArgumentMatchers.anyLong(), any(), any())).thenReturn(true);
        when(settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS)).thenReturn(600L);
        purge = new DeferredDeletePurge(volumes, pools, storagePool.poolService, settings);
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
                new VolumeRepository.DeletedVolume(1, "u1", "a", 1, 5, "img-a"),
                new VolumeRepository.DeletedVolume(2, "u2", "b", 1, 5, "img-b")));
        storage.keptByStorage.add("img-b");
        assertEquals(1, purge.purgeExpired());
        assertEquals(List.of("purge img-a", "purge img-b"), storage.calls);
        verify(volumes).move(1, VolumeState.Destroyed, VolumeState.Expunged);
        verify(volumes, never()).move(2, VolumeState.Destroyed, VolumeState.Expunged);
    }

    @Test
    void anUnreachableStorageLeavesTheVolumeDestroyedForTheNextRun() {
        when(volumes.destroyedBefore(any())).thenReturn(List.of(new VolumeRepository.DeletedVolume(1, "u1", "a", 1, 5,
                "img-a")));
        storage.failPurge = new StorageException(StorageException.Kind.UNAVAILABLE, "no host Up");
        assertEquals(0, purge.purgeExpired());
        verify(volumes, never()).move(1, VolumeState.Destroyed, VolumeState.Expunged);
    }
}
