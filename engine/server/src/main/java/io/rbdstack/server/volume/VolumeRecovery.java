package io.rbdstack.server.volume;

import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.VolumeInfo;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles volumes whose operation died with the management server running it (a crash, a kill):
 * left Allocated, Creating, Resizing or Destroying they would hold pool capacity and keep their
 * pool from being deleted for ever. Each is moved to the state that matches what its storage
 * holds, the way its operation would have ended had it failed:
 * <ul>
 * <li>Allocated: the storage was never asked; Error.</li>
 * <li>Creating: whatever the storage made of it is deleted; Error.</li>
 * <li>Resizing, RevertSnapshotting: Ready at the size the storage reports.</li>
 * <li>Snapshotting: Ready (the snapshot's own row is settled with the snapshots).</li>
 * <li>Destroying: Ready if the storage still has it (the delete can be retried), else Destroyed (its
 * data may wait in a trash, by the engine's or the plugin's deferral; the purge expunges it) and its
 * snapshots on primary are recorded as gone.</li>
 * </ul>
 * A volume whose storage cannot be reached now stays as it is until the next run.
 */
public final class VolumeRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeRecovery.class);

    /**
     * How long a volume must have stayed in its state before it counts as stuck: far longer than any
     * storage command may take, so an operation still running on a live server is never touched.
     */
    public static final Duration QUIET_FOR = Duration.ofMinutes(10);

    private final VolumeRepository volumes;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final VolumeSnapshots snapshots;

    public VolumeRecovery(VolumeRepository volumes, StoragePoolRepository pools, StoragePoolService poolService,
                          VolumeSnapshots snapshots) {
        this.volumes = volumes;
        this.pools = pools;
        this.poolService = poolService;
        this.snapshots = snapshots;
    }

    /** Settles every stuck volume it can; returns how many it settled. */
    public int settleStuckVolumes() {
        int settled = 0;
        for (VolumeRepository.VolumeRow volume : volumes.stuck(QUIET_FOR)) {
            try {
                Optional<VolumeState> to = settle(volume);
                if (to.isPresent()) {
                    settled++;
                    LOG.warn("Volume {} ({}) was left {} by a stopped management server; it is {} now", volume.name(),
                            volume.uuid(), volume.state(), to.get());
                }
            } catch (StorageException | RuntimeException e) {
                LOG.warn("Volume {} ({}) was left {} by a stopped management server and cannot be settled yet: {}",
                        volume.name(), volume.uuid(), volume.state(), e.getMessage());
            }
        }
        return settled;
    }

    /** The state the volume was moved to; empty when another server settled it first or it cannot be settled. */
    Optional<VolumeState> settle(VolumeRepository.VolumeRow volume) throws StorageException {
        switch (volume.state()) {
            case Allocated:
                return moved(volumes.move(volume.id(), VolumeState.Allocated, VolumeState.Error), VolumeState.Error);
            case Creating: {
                VolumeStorage storage = storage(volume);
                // Named after the volume's uuid, so whatever the storage made can be found; absent is fine.
                storage.provider().deleteVolume(storage.stored(), volume.uuid(), 0);
                return moved(volumes.move(volume.id(), VolumeState.Creating, VolumeState.Error), VolumeState.Error);
            }
            case Snapshotting:
                return moved(volumes.move(volume.id(), VolumeState.Snapshotting, VolumeState.Ready), VolumeState.Ready);
            case Resizing:
            case RevertSnapshotting: {
                VolumeStorage storage = storage(volume);
                Optional<VolumeInfo> info = storage.provider().describeVolume(storage.stored(), volume.path());
                if (info.isEmpty()) {
                    LOG.error("Volume {} ({}) is {} but its storage has no volume {}; it needs an operator",
                            volume.name(), volume.uuid(), volume.state(), volume.path());
                    return Optional.empty();
                }
                // The offering stays the old one: only the job that died knew the new one.
                return moved(volumes.moveToReady(volume.id(), volume.state(), volume.path(),
                        info.get().sizeBytes(), volume.offeringId()), VolumeState.Ready);
            }
            case Destroying: {
                VolumeStorage storage = storage(volume);
                if (storage.provider().describeVolume(storage.stored(), volume.path()).isPresent()) {
                    return moved(volumes.move(volume.id(), VolumeState.Destroying, VolumeState.Ready), VolumeState.Ready);
                }
                // Destroyed, not Expunged: a plugin option may have sent it to a trash the purge must empty.
                snapshots.imageDeleted(volume.id());
                return moved(volumes.move(volume.id(), VolumeState.Destroying, VolumeState.Destroyed),
                        VolumeState.Destroyed);
            }
            default:
                throw new IllegalStateException("volume " + volume.uuid() + " is " + volume.state() + ", not stuck");
        }
    }

    private VolumeStorage storage(VolumeRepository.VolumeRow volume) {
        if (volume.poolId() == null) {
            throw new IllegalStateException("it has no pool");
        }
        return VolumeStorage.of(volume.poolId(), pools, poolService).orElseThrow(() ->
                new IllegalStateException("its storage pool " + volume.poolName() + " is gone"));
    }

    private static Optional<VolumeState> moved(boolean moved, VolumeState to) {
        return moved ? Optional.of(to) : Optional.empty();
    }
}
