package io.rbdstack.server.volume;

import io.rbdstack.server.api.Caller;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventLevel;
import io.rbdstack.server.event.EventResource;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.spi.storage.StorageException;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage cleanup's step for volumes of expunged VMs that a client still had open when their VM was
 * expunged ({@link VolumeState#Expunging}, see {@link VolumeService#deleteWithItsVm}): each run asks the
 * storage to delete them again, as deleteVolume does (into the RBD trash with the deferral, or at once), until
 * the client is gone (Ceph drops a dead client's watch after about 30 s). An event on the volume says when.
 */
public final class ExpungingVolumes {

    private static final Logger LOG = LoggerFactory.getLogger(ExpungingVolumes.class);

    private final VolumeRepository volumes;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final SettingsRepository settings;
    private final ActionEvents events;
    private final Function<Long, Optional<Caller>> ownerOf;

    public ExpungingVolumes(VolumeRepository volumes, StoragePoolRepository pools, StoragePoolService poolService,
                            SettingsRepository settings, ActionEvents events, Function<Long, Optional<Caller>> ownerOf) {
        this.volumes = volumes;
        this.pools = pools;
        this.poolService = poolService;
        this.settings = settings;
        this.events = events;
        this.ownerOf = ownerOf;
    }

    /** Deletes what the storage now lets go of; returns how many volumes were deleted. */
    public int deleteReleased() {
        int deleted = 0;
        for (VolumeRepository.DeletedVolume volume : volumes.expunging()) {
            try {
                Optional<VolumeStorage> storage = VolumeStorage.of(volume.poolId(), pools, poolService);
                if (storage.isEmpty()) {
                    continue;
                }
                long kept = storage.get().provider().deleteVolume(storage.get().stored(), volume.path(),
                        VolumeService.deferral(settings));
                if (volumes.move(volume.id(), VolumeState.Expunging,
                        kept > 0 ? VolumeState.Destroyed : VolumeState.Expunged)) {
                    deleted++;
                    said(volume, "Volume " + volume.name() + " of an expunged VM is deleted from pool "
                            + storage.get().pool().name() + " now that no client has it open"
                            + (kept > 0 ? "; it stays in the RBD trash for " + kept + " s, then the storage cleanup"
                            + " purges it" : ""));
                }
            } catch (StorageException e) {
                if (e.kind() == StorageException.Kind.IN_USE) {
                    LOG.info("Volume {} ({}) of an expunged VM is still open by a client; tried again at the next"
                            + " storage cleanup", volume.name(), volume.uuid());
                } else {
                    LOG.warn("Cannot delete volume {} ({}) of an expunged VM yet: {}", volume.name(), volume.uuid(),
                            e.getMessage());
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot delete volume {} ({}) of an expunged VM yet: {}", volume.name(), volume.uuid(),
                        e.getMessage(), e);
            }
        }
        return deleted;
    }

    private void said(VolumeRepository.DeletedVolume volume, String description) {
        LOG.info("{} ({})", description, volume.uuid());
        ownerOf.apply(volume.accountId()).ifPresentOrElse(owner -> events.happened(owner, "VOLUME.DELETE",
                EventLevel.INFO, description, new EventResource("Volume", volume.uuid())), () -> LOG.warn(
                "No active user of account {} to record the event of volume {}", volume.accountId(), volume.uuid()));
    }
}
