package io.rbdstack.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.storage.StorageException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage cleanup's retry of volumes an expunged VM's client still had open. */
class ExpungingVolumesTest {

    private final ScriptedPool storagePool = new ScriptedPool();
    private final ScriptedStorage storage = storagePool.storage;
    private final VolumeRepository volumes = mock(VolumeRepository.class);
    private final SettingsRepository settings = mock(SettingsRepository.class);
    private final io.rbdstack.server.event.ActionEvents events = mock(io.rbdstack.server.event.ActionEvents.class);
    private final io.rbdstack.server.api.Caller owner = mock(io.rbdstack.server.api.Caller.class);
    private ExpungingVolumes expunging;

    @BeforeEach
    void wire() {
        when(volumes.move(org.mockito.ArgumentMatchers.anyLong(), any(), any())).thenReturn(true);
        when(volumes.expunging()).thenReturn(List.of(new VolumeRepository.DeletedVolume(1, "u1", "ROOT-1", 3, 5,
                "img-1")));
        expunging = new ExpungingVolumes(volumes, storagePool.pools, storagePool.poolService, settings, events,
                account -> Optional.of(owner));
    }

    @Test
    void aVolumeStillOpenStaysExpungingAndIsTriedAgainAtTheNextRun() {
        storage.failDelete = new StorageException(StorageException.Kind.IN_USE, "a client still has it open: EBUSY");
        assertEquals(0, expunging.deleteReleased());
        verify(volumes, never()).move(org.mockito.ArgumentMatchers.anyLong(), any(), any());
        verify(events, never()).happened(any(), any(), any(), any(), any());

        storage.failDelete = null;
        assertEquals(1, expunging.deleteReleased());
        verify(volumes).move(1, VolumeState.Expunging, VolumeState.Expunged);
        verify(events).happened(org.mockito.ArgumentMatchers.eq(owner), org.mockito.ArgumentMatchers.eq(
                "VOLUME.DELETE"), any(), org.mockito.ArgumentMatchers.argThat(d -> d.contains("ROOT-1")
                && d.contains("is deleted from pool ceph1 now that no client has it open") && !d.contains("trash")),
                org.mockito.ArgumentMatchers.eq(new io.rbdstack.server.event.EventResource("Volume", "u1")));
        assertEquals(List.of("delete img-1 0", "delete img-1 0"), storage.calls);
    }

    @Test
    void withADeferralItGoesToTheTrashAndIsDestroyedForThePurge() {
        when(settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS)).thenReturn(600L);
        assertEquals(1, expunging.deleteReleased());
        verify(volumes).move(1, VolumeState.Expunging, VolumeState.Destroyed);
        verify(events).happened(any(), any(), any(), org.mockito.ArgumentMatchers.argThat(d ->
                d.contains("stays in the RBD trash for 600 s")), any());
        assertEquals(List.of("delete img-1 600"), storage.calls);
    }
}
