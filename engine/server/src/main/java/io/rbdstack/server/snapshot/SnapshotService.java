package io.rbdstack.server.snapshot;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.limit.LimitCheck;
import io.rbdstack.server.limit.ResourceType;
import io.rbdstack.server.storage.StorageErrors;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.volume.VolumeClones;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeState;
import io.rbdstack.server.volume.VolumeStorage;
import io.rbdstack.spi.storage.SnapshotInfo;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.VolumeInfo;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots on primary storage: take, revert to, delete. Each operation records its state before
 * the storage is asked, and a failure leaves the snapshot and its volume where they were (a failed
 * take deletes whatever the storage made). The volume is Snapshotting or RevertSnapshotting while
 * it runs, so no resize, delete or other snapshot operation on it overlaps.
 */
public final class SnapshotService {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotService.class);

    private final Jdbc jdbc;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final SnapshotBackups backups;
    private final LimitCheck limits;
    private final SnapshotQuiesce quiesce;
    private final VolumeClones clones;

    public SnapshotService(Jdbc jdbc, SnapshotRepository snapshots, VolumeRepository volumes,
                           StoragePoolRepository pools, StoragePoolService poolService, SnapshotBackups backups,
                           LimitCheck limits, SnapshotQuiesce quiesce) {
        this.quiesce = quiesce;
        this.backups = backups;
        this.limits = limits;
        this.clones = new VolumeClones(jdbc);
        this.jdbc = jdbc;
        this.snapshots = snapshots;
        this.volumes = volumes;
        this.pools = pools;
        this.poolService = poolService;
    }

    /**
     * createSnapshot's request part: the volume goes Snapshotting and the snapshot row is saved as
     * Allocated, together.
     *
     * @param type MANUAL, or the interval of the policy it is taken for
     * @throws ApiException 431 when the volume is not Ready, 532 over the owner's snapshot limit
     */
    public SnapshotRepository.SnapshotRow allocate(VolumeRepository.VolumeRow volume, String uuid, String name,
                                                   String type) {
        // A pool its hosts cannot use (full, key refused) would make the snapshot time out: say why at once.
        if (volume.poolId() != null) {
            pools.findById(volume.poolId()).filter(p -> StoragePoolRepository.ALERT.equals(p.status()))
                    .ifPresent(p -> {
                        throw ApiException.unavailable("Storage pool " + p.name() + " of volume " + volume.name()
                                + " is " + p.status() + ": " + p.statusReason() + "; no snapshot can be taken until it"
                                + " is Up again");
                    });
        }
        jdbc.transaction(() -> {
            limits.check(volume.accountId(), java.util.Map.of(ResourceType.snapshot, 1L));
            if (!volumes.move(volume.id(), VolumeState.Ready, VolumeState.Snapshotting)) {
                throw notReady(volume, "take a snapshot of it");
            }
            snapshots.insert(new SnapshotRepository.NewSnapshot(uuid, name, volume.id(), volume.sizeBytes(), type));
        });
        return snapshots.find(uuid).orElseThrow();
    }

    /** A snapshot on primary, and how consistent it is when its VM's guest was to be frozen. */
    public record Taken(SnapshotRepository.SnapshotRow snapshot, Optional<String> consistency) {

        public boolean crashConsistent() {
            return consistency.filter(SnapshotQuiesce.CRASH_CONSISTENT::equals).isPresent();
        }
    }

    /** createSnapshot's job: the storage takes it, named after its uuid; the volume is Ready again either way. */
    public SnapshotRepository.SnapshotRow create(SnapshotRepository.SnapshotRow snapshot) {
        return create(snapshot, false).snapshot();
    }

    /**
     * {@link #create(SnapshotRepository.SnapshotRow)}; with {@code quiesceVm}, the file systems of the volume's
     * Running VM are frozen around it (thawed also when it fails). A guest without qemu-guest-agent is not
     * frozen: the snapshot is taken, crash-consistent, and the result says so.
     */
    public Taken create(SnapshotRepository.SnapshotRow snapshot, boolean quiesceVm) {
        try {
            if (!snapshots.move(snapshot.id(), SnapshotState.Allocated, SnapshotState.Creating)) {
                throw ApiException.internal("Snapshot " + snapshot.name() + " is no longer Allocated", null);
            }
            Optional<Long> vm = quiesceVm ? volumes.find(snapshot.volumeUuid())
                    .map(VolumeRepository.VolumeRow::attachment).map(VolumeRepository.Attachment::vmId)
                    : Optional.empty();
            VolumeStorage storage = storage(snapshot);
            SnapshotQuiesce.StorageCall<SnapshotInfo> take = () -> storage.provider().createSnapshot(storage.stored(),
                    snapshot.volumePath(), snapshot.uuid());
            SnapshotQuiesce.Quiesced<SnapshotInfo> taken;
            try {
                taken = vm.isPresent() ? quiesce.around(vm.get(), take)
                        : new SnapshotQuiesce.Quiesced<>(take.run(), false, null, null);
                jdbc.transaction(() -> {
                    snapshots.recordOnPrimary(snapshot.id(), storage.pool().id(), snapshot.volumeId(),
                            snapshot.volumePath() + "@" + taken.result().name(), taken.result().sizeBytes());
                    if (!snapshots.move(snapshot.id(), SnapshotState.Creating, SnapshotState.CreatedOnPrimary)) {
                        throw new IllegalStateException("snapshot " + snapshot.uuid() + " left Creating meanwhile");
                    }
                });
            } catch (StorageException | RuntimeException e) {
                deleteLeftover(storage, snapshot);
                ApiException failure = StorageErrors.failed("Snapshot " + snapshot.name() + " of volume " + snapshot.volumeName()
                        + " was not taken", e);
                moveOrRecord(snapshot, SnapshotState.Creating, SnapshotState.Error, failure);
                throw failure;
            }
            Optional<String> consistency = Optional.ofNullable(taken.consistency());
            LOG.info("Took snapshot {} ({}) of volume {}{}", snapshot.name(), snapshot.uuid(), snapshot.volumeName(),
                    consistency.map(c -> ": " + c).orElse(""));
            if (taken.thawFailure() != null) {
                throw taken.thawFailure(); // the snapshot is taken and recorded; the job reports the guest left frozen
            }
            return new Taken(snapshots.find(snapshot.uuid()).orElseThrow(), consistency);
        } finally {
            volumes.move(snapshot.volumeId(), VolumeState.Snapshotting, VolumeState.Ready);
        }
    }

    /**
     * revertSnapshot's request part: the snapshot must be on primary and usable, the volume Ready;
     * the volume goes RevertSnapshotting. Under the volume's row lock, so a delete of the snapshot
     * cannot start meanwhile.
     */
    public void beginRevert(SnapshotRepository.SnapshotRow snapshot) {
        jdbc.transaction(() -> {
            snapshots.lockVolume(snapshot.volumeId());
            SnapshotRepository.SnapshotRow now = snapshots.find(snapshot.uuid()).orElseThrow(() ->
                    ApiException.invalidParameter("Snapshot " + snapshot.uuid() + " was deleted meanwhile"));
            if (!now.state().isUsable() || !now.onPrimary()) {
                throw ApiException.invalidParameter("Snapshot " + now.name() + " is " + now.state()
                        + (now.onPrimary() ? "" : " and no longer on primary storage")
                        + ": a volume can only be reverted to a snapshot on primary storage that is CreatedOnPrimary"
                        + " or BackedUp");
            }
            VolumeRepository.VolumeRow volume = volumes.find(snapshot.volumeUuid()).orElseThrow(() ->
                    ApiException.invalidParameter("The volume of snapshot " + snapshot.name() + " is deleted"));
            requireVmStopped(volume);
            requireNoVmSnapshots(volume);
            if (clones.flattening(volume.uuid())) {
                throw ApiException.invalidParameter("Volume " + volume.name() + " is being flattened (a flattenVolume"
                        + " job); revert it when that is done (parameter id)");
            }
            if (!volumes.move(volume.id(), VolumeState.Ready, VolumeState.RevertSnapshotting)) {
                throw notReady(volume, "revert it to a snapshot");
            }
        });
    }

    /**
     * A volume whose VM may be running cannot be reverted under it (CloudStack #4356): its VM must be
     * Stopped (or Destroyed); a start checks its volumes are Ready, so it cannot begin meanwhile.
     */
    private static void requireVmStopped(VolumeRepository.VolumeRow volume) {
        VolumeRepository.Attachment vm = volume.attachment();
        if (vm != null && !vm.vmState().equals("Stopped") && !vm.vmState().equals("Destroyed")) {
            throw ApiException.invalidParameter("The VM the specified disk is attached to is not in the shutdown"
                    + " state: volume " + volume.name() + " is attached to VM " + vm.vmName() + " (" + vm.vmUuid()
                    + "), which is " + vm.vmState() + "; stop it to revert the volume (parameter id)");
        }
    }

    /**
     * A volume of a VM with VM snapshots is not reverted alone (CloudStack's rule): its VM snapshots hold all
     * of the VM's volumes at one instant, and a revert to one of them would undo this one's revert.
     */
    private void requireNoVmSnapshots(VolumeRepository.VolumeRow volume) {
        VolumeRepository.Attachment vm = volume.attachment();
        if (vm != null && jdbc.queryLong("SELECT COUNT(*) FROM vm_snapshots WHERE vm_id = ? AND removed IS NULL",
                vm.vmId()) > 0) {
            throw ApiException.invalidParameter("Unable to revert snapshot for VM, please remove VM snapshots before"
                    + " reverting VM from snapshot (parameter id)");
        }
    }

    /** revertSnapshot's job: the volume's content and size go back to the snapshot's. */
    public SnapshotRepository.SnapshotRow revert(SnapshotRepository.SnapshotRow snapshot) {
        VolumeRepository.VolumeRow volume = volumes.find(snapshot.volumeUuid()).orElseThrow();
        try {
            VolumeStorage storage = storage(snapshot);
            VolumeInfo reverted = storage.provider().revertSnapshot(storage.stored(), snapshot.volumePath(),
                    snapshot.uuid());
            volumes.moveToReady(volume.id(), VolumeState.RevertSnapshotting, reverted.path(), reverted.sizeBytes(),
                    volume.offeringId());
        } catch (StorageException | RuntimeException e) {
            ApiException failure = StorageErrors.failed("Volume " + volume.name() + " was not reverted to snapshot "
                    + snapshot.name(), e);
            long size = sizeOnStorage(snapshot).orElse(volume.sizeBytes());
            try {
                volumes.moveToReady(volume.id(), VolumeState.RevertSnapshotting, volume.path(), size,
                        volume.offeringId());
            } catch (RuntimeException recording) {
                failure.addSuppressed(recording);
            }
            throw failure;
        }
        LOG.info("Reverted volume {} ({}) to snapshot {} ({})", volume.name(), volume.uuid(), snapshot.name(),
                snapshot.uuid());
        return snapshots.find(snapshot.uuid()).orElseThrow();
    }

    /**
     * deleteSnapshot's request part: the snapshot goes Destroying, unless its volume is being
     * reverted to a snapshot (the same row lock as {@link #beginRevert}).
     */
    public void beginDelete(SnapshotRepository.SnapshotRow snapshot) {
        jdbc.transaction(() -> {
            snapshots.lockVolume(snapshot.volumeId());
            Optional<VolumeRepository.VolumeRow> volume = volumes.find(snapshot.volumeUuid());
            if (volume.isPresent() && volume.get().state() == VolumeState.RevertSnapshotting) {
                throw ApiException.invalidParameter("Volume " + volume.get().name() + " is being reverted to a"
                        + " snapshot; delete snapshot " + snapshot.name() + " when it is Ready again");
            }
            if (snapshots.backingUp(snapshot.volumeId())) {
                // The running backup may be incremental to this snapshot: its diff base and its file.
                throw ApiException.invalidParameter("A snapshot of volume " + snapshot.volumeName() + " is being backed"
                        + " up; delete snapshot " + snapshot.name() + " when that is done");
            }
            // Refused rather than flattening them unasked: a flatten costs a full copy of each (flattenVolume).
            java.util.List<VolumeClones.Clone> dependents = clones.ofSnapshot(snapshot.id());
            if (!dependents.isEmpty()) {
                throw ApiException.invalidParameter("Snapshot " + snapshot.name() + " (" + snapshot.uuid() + ") cannot"
                        + " be deleted: volume(s) " + VolumeClones.names(dependents) + " are cloned from it and depend"
                        + " on it; flatten them (flattenVolume) or delete them first (parameter id)");
            }
            if (!snapshot.state().isUsable() || !snapshots.move(snapshot.id(), snapshot.state(), SnapshotState.Destroying)) {
                throw ApiException.invalidParameter("Can't delete snapshot " + snapshot.name() + " ("
                        + snapshot.uuid() + ") due to it is in " + snapshots.find(snapshot.uuid())
                        .map(s -> s.state().name()).orElse("Destroyed") + " Status");
            }
        });
    }

    /**
     * deleteSnapshot's job: deleted from primary storage, then its backup (kept while later backups
     * depend on it). On failure it is in the state it had, minus what was already deleted.
     */
    public void delete(SnapshotRepository.SnapshotRow snapshot) {
        try {
            if (snapshot.onPrimary()) {
                Optional<VolumeStorage> storage = VolumeStorage.of(snapshot.poolId(), pools, poolService);
                if (storage.isPresent()) {
                    storage.get().provider().deleteSnapshot(storage.get().stored(), snapshot.volumePath(),
                            snapshot.uuid());
                }
                snapshots.primaryGone(snapshot.id());
            }
            backups.deleteBackupOf(snapshot);
        } catch (StorageException | RuntimeException e) {
            ApiException failure = StorageErrors.failed("Snapshot " + snapshot.name() + " was not deleted", e);
            // Back where it was: a CreatedOnPrimary one still is (only its primary delete can fail); a
            // BackedUp one may have lost its primary copy meanwhile, and is still BackedUp.
            moveOrRecord(snapshot, SnapshotState.Destroying, snapshot.state(), failure);
            throw failure;
        }
        snapshots.move(snapshot.id(), SnapshotState.Destroying, SnapshotState.Destroyed);
        LOG.info("Deleted snapshot {} ({}) of volume {}", snapshot.name(), snapshot.uuid(), snapshot.volumeName());
    }

    private VolumeStorage storage(SnapshotRepository.SnapshotRow snapshot) {
        if (snapshot.poolId() == null) {
            throw new IllegalStateException("the volume of snapshot " + snapshot.uuid() + " has no pool");
        }
        return VolumeStorage.of(snapshot.poolId(), pools, poolService).orElseThrow(() -> ApiException.internal(
                "The storage pool of volume " + snapshot.volumeName() + " is gone", null));
    }

    private Optional<Long> sizeOnStorage(SnapshotRepository.SnapshotRow snapshot) {
        try {
            VolumeStorage storage = storage(snapshot);
            return storage.provider().describeVolume(storage.stored(), snapshot.volumePath()).map(VolumeInfo::sizeBytes);
        } catch (StorageException | RuntimeException e) {
            LOG.warn("Cannot ask the storage for the size of volume {}: {}", snapshot.volumeUuid(), e.getMessage());
            return Optional.empty();
        }
    }

    private void deleteLeftover(VolumeStorage storage, SnapshotRepository.SnapshotRow snapshot) {
        try {
            storage.provider().deleteSnapshot(storage.stored(), snapshot.volumePath(), snapshot.uuid());
        } catch (StorageException | RuntimeException e) {
            LOG.warn("After the failed snapshot {} of volume {}, deleting what the storage may have made failed too: {}",
                    snapshot.uuid(), snapshot.volumeUuid(), e.getMessage());
        }
    }

    private void moveOrRecord(SnapshotRepository.SnapshotRow snapshot, SnapshotState from, SnapshotState to,
                              ApiException failure) {
        try {
            snapshots.move(snapshot.id(), from, to);
        } catch (RuntimeException e) {
            LOG.error("Snapshot {} stays {}: recording {} failed", snapshot.uuid(), from, to, e);
            failure.addSuppressed(e);
        }
    }

    /** 431 naming the state the volume is in now (not the one the caller read before its move failed). */
    private ApiException notReady(VolumeRepository.VolumeRow volume, String what) {
        String state = volumes.find(volume.uuid()).map(v -> v.state().name()).orElse("deleted");
        return ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") is not in Ready state"
                + " but " + state + "; cannot " + what + " now: try again when it is Ready");
    }

}
