package io.rbdstack.server.snapshot;

import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.volume.VolumeRecovery;
import io.rbdstack.server.volume.VolumeStorage;
import io.rbdstack.spi.storage.StorageException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles snapshots whose operation died with its management server: Allocated → Error; Creating →
 * whatever the storage made deleted, Error; BackingUp → BackedUp if its backup was recorded, else
 * CreatedOnPrimary (the backup can be asked for again); Destroying → deleted from primary (again),
 * Destroyed.
 * Their volumes, left Snapshotting, are settled by {@link VolumeRecovery}.
 */
public final class SnapshotRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotRecovery.class);

    private final SnapshotRepository snapshots;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final SnapshotBackups backups;

    public SnapshotRecovery(SnapshotRepository snapshots, StoragePoolRepository pools, StoragePoolService poolService,
                            SnapshotBackups backups) {
        this.backups = backups;
        this.snapshots = snapshots;
        this.pools = pools;
        this.poolService = poolService;
    }

    /** Settles every stuck snapshot it can; returns how many. */
    public int settleStuckSnapshots() {
        int settled = 0;
        for (SnapshotRepository.SnapshotRow snapshot : snapshots.stuck(VolumeRecovery.QUIET_FOR)) {
            try {
                if (settle(snapshot)) {
                    settled++;
                    LOG.warn("Snapshot {} ({}) was left {} by a stopped management server; settled", snapshot.name(),
                            snapshot.uuid(), snapshot.state());
                }
            } catch (StorageException | RuntimeException e) {
                LOG.warn("Snapshot {} ({}) was left {} by a stopped management server and cannot be settled yet: {}",
                        snapshot.name(), snapshot.uuid(), snapshot.state(), e.getMessage());
            }
        }
        return settled;
    }

    boolean settle(SnapshotRepository.SnapshotRow snapshot) throws StorageException {
        switch (snapshot.state()) {
            case Allocated:
                return snapshots.move(snapshot.id(), SnapshotState.Allocated, SnapshotState.Error);
            case Creating:
                deleteOnPrimary(snapshot);
                return snapshots.move(snapshot.id(), SnapshotState.Creating, SnapshotState.Error);
            case BackingUp:
                return snapshots.move(snapshot.id(), SnapshotState.BackingUp, snapshots.backup(snapshot.id()).isPresent()
                        ? SnapshotState.BackedUp : SnapshotState.CreatedOnPrimary);
            case Destroying:
                deleteOnPrimary(snapshot);
                snapshots.primaryGone(snapshot.id());
                backups.deleteBackupOf(snapshot);
                return snapshots.move(snapshot.id(), SnapshotState.Destroying, SnapshotState.Destroyed);
            default:
                throw new IllegalStateException("snapshot " + snapshot.uuid() + " is " + snapshot.state() + ", not stuck");
        }
    }

    /** Deletes the RBD snapshot named after it, if its volume's pool is still there; absent is fine. */
    private void deleteOnPrimary(SnapshotRepository.SnapshotRow snapshot) throws StorageException {
        Optional<VolumeStorage> storage = snapshot.poolId() == null ? Optional.empty()
                : VolumeStorage.of(snapshot.poolId(), pools, poolService);
        if (storage.isPresent()) {
            storage.get().provider().deleteSnapshot(storage.get().stored(), snapshot.volumePath(), snapshot.uuid());
        }
    }
}
