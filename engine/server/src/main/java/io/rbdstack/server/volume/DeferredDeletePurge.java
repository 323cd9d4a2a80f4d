package io.rbdstack.server.volume;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.spi.storage.StorageException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges the data of volumes deleted with a deferral once it has passed, and marks them Expunged.
 * Needed because the storage may not purge by itself (Ceph never empties an RBD trash on its own).
 * The storage has the last word: a plugin option may keep a volume longer than the cloud-wide
 * deferral, and then the volume simply waits for a later run.
 */
public final class DeferredDeletePurge {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredDeletePurge.class);

    private final VolumeRepository volumes;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final SettingsRepository settings;

    public DeferredDeletePurge(VolumeRepository volumes, StoragePoolRepository pools, StoragePoolService poolService,
                               SettingsRepository settings) {
        this.volumes = volumes;
        this.pools = pools;
        this.poolService = poolService;
        this.settings = settings;
    }

    /** Purges what may be purged now; returns how many volumes became Expunged. */
    public int purgeExpired() {
        long deferral = Math.max(0, settings.longValue(Setting.STORAGE_VOLUME_DEFERRED_DELETE_SECONDS));
        int purged = 0;
        for (VolumeRepository.DeletedVolume volume : volumes.destroyedBefore(Instant.now().minusSeconds(deferral))) {
            try {
                Optional<VolumeStorage> storage = VolumeStorage.of(volume.poolId(), pools, poolService);
                if (storage.isPresent() && storage.get().provider().purgeDeletedVolume(storage.get().stored(),
                        volume.path()) && volumes.move(volume.id(), VolumeState.Destroyed, VolumeState.Expunged)) {
                    purged++;
                    LOG.info("Purged deleted volume {} ({}) from its storage", volume.name(), volume.uuid());
                }
            } catch (StorageException | RuntimeException e) {
                LOG.warn("Cannot purge deleted volume {} ({}) yet: {}", volume.name(), volume.uuid(), e.getMessage());
            }
        }
        return purged;
    }
}
