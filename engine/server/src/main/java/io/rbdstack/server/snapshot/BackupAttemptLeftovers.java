package io.rbdstack.server.snapshot;

import io.rbdstack.server.imagestore.ImageStoreRepository;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.store.DeleteBackupLeftoversCommand;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage cleanup's step for the files of backup attempts whose answers were never accepted (an agent
 * killed mid-write, a host cut off while the retry ran elsewhere): each attempt writes a name of its own
 * ({@code <uuid>.<attempt>.rbddiff}, through {@code ….part} or an S3 upload), and once no attempt of a snapshot
 * can still run, every such file of it but the recorded ones is deleted from its zone's stores. "No attempt can
 * still run": the snapshot is backed up or deleted (no backup of it can start again) and its last attempt began
 * or ended its {@link BackupSettleTimes settle time} ago by the management server's clock: {@link #SETTLE_AFTER},
 * or longer when its volume's pool may run a transfer longer than that. No other host's clock is read.
 */
public final class BackupAttemptLeftovers {

    private static final Logger LOG = LoggerFactory.getLogger(BackupAttemptLeftovers.class);
    /**
     * The least time after a snapshot's last backup attempt before its leftovers go:
     * {@code -Drbdstack.backup.leftovers.hours}, 12 by default; a pool whose provider may run a transfer longer than
     * this (less {@link BackupSettleTimes#MARGIN}) makes its snapshots wait that transfer plus the margin.
     */
    public static final Duration SETTLE_AFTER = Duration.ofHours(Long.getLong("rbdstack.backup.leftovers.hours", 12));
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);
    static final int PER_RUN = 100;
    /** How long one run may send commands: stores that answer slowly delay the rest of the cleanup no more. */
    static final Duration RUN_TIME = Duration.ofMinutes(5);
    /**
     * How long a snapshot whose leftovers could not be deleted waits before it is tried again: it is stamped
     * as attempted this long before it settles, so it goes behind the others and always-failing snapshots (a
     * store out of reach, a key that may not list, an old agent) cannot take a whole run every time.
     */
    static final Duration RETRY_AFTER = Duration.ofHours(1);

    private final SnapshotRepository snapshots;
    private final ImageStoreRepository stores;
    private final HostGateway hosts;
    private final Supplier<Map<Long, Duration>> longestTransfers;
    private final Clock clock;

    /**
     * @param longestTransfers the longest transfer each pool's provider may run now, by pool id; asked at each run,
     *                         so that a changed transfer timeout counts from the next run on
     */
    public BackupAttemptLeftovers(SnapshotRepository snapshots, ImageStoreRepository stores, HostGateway hosts,
                                  Supplier<Map<Long, Duration>> longestTransfers) {
        this(snapshots, stores, hosts, longestTransfers, Clock.systemUTC());
    }

    BackupAttemptLeftovers(SnapshotRepository snapshots, ImageStoreRepository stores, HostGateway hosts,
                           Supplier<Map<Long, Duration>> longestTransfers, Clock clock) {
        this.snapshots = snapshots;
        this.stores = stores;
        this.hosts = hosts;
        this.longestTransfers = longestTransfers;
        this.clock = clock;
    }

    /**
     * Deletes the leftovers of up to 100 settled snapshots, oldest first, for at most {@link #RUN_TIME}; how
     * many snapshots were cleared. One that fails is tried again after {@link #RETRY_AFTER}, behind the others.
     */
    public int deleteSettled() {
        Instant start = clock.instant();
        Instant stop = start.plus(RUN_TIME);
        int cleared = 0;
        BackupSettleTimes settle = BackupSettleTimes.of(SETTLE_AFTER, longestTransfers.get());
        for (SnapshotRepository.AttemptedBackup snapshot : snapshots.settledBackupAttempts(settle.cutoffs(start),
                settle.otherwiseCutoff(start), PER_RUN)) {
            if (!clock.instant().isBefore(stop)) {
                LOG.info("Unaccepted backup attempts' files: run stopped after {}, the rest next run", RUN_TIME);
                break;
            }
            try {
                if (!deleteLeftovers(snapshot, stop)) {
                    LOG.info("Unaccepted backup attempts' files: run stopped after {} in snapshot {}, the rest next"
                            + " run", RUN_TIME, snapshot.snapshotUuid());
                    break;
                }
                snapshots.backupAttemptsCleared(snapshot.snapshotId(), snapshot.attempted());
                cleared++;
            } catch (StorageException | RuntimeException e) {
                LOG.warn("The files of unaccepted backup attempts of snapshot {} cannot be deleted yet (tried again"
                        + " after {})", snapshot.snapshotUuid(), RETRY_AFTER, e);
                retryLater(snapshot, settle.of(snapshot.poolId()));
            }
        }
        return cleared;
    }

    /** Puts the snapshot behind the others for {@link #RETRY_AFTER}; a failure to is logged, and the run goes on. */
    private void retryLater(SnapshotRepository.AttemptedBackup snapshot, Duration settleAfter) {
        try {
            snapshots.backupAttemptsRetryAt(snapshot.snapshotId(), snapshot.attempted(),
                    clock.instant().minus(settleAfter).plus(RETRY_AFTER));
        } catch (RuntimeException e) {
            LOG.error("Snapshot {} cannot be put behind the others (it is tried again next run)",
                    snapshot.snapshotUuid(), e);
        }
    }

    /** Deletes the snapshot's leftovers on every store of its zone; false when the run's time ran out first. */
    private boolean deleteLeftovers(SnapshotRepository.AttemptedBackup snapshot, Instant stop) throws StorageException {
        String directory = SnapshotBackups.directory(snapshot.accountId(), snapshot.volumeId());
        List<String> keep = snapshots.recordedBackupPaths(snapshot.snapshotId()).stream()
                .map(path -> path.substring(path.lastIndexOf('/') + 1)).toList();
        // An attempt wrote to one of the zone's stores; which one is recorded only for the accepted one. Every store
        // is tried, one that cannot be reached (the next run tries again) keeping the others from nothing.
        StorageException failed = null;
        for (ImageStoreRepository.StoreRow store : stores.ofZone(snapshot.zoneId())) {
            if (!clock.instant().isBefore(stop)) {
                if (failed != null) {
                    throw failed;
                }
                return false; // not cleared: the stores not reached are tried next run
            }
            try {
                Answer answer = hosts.sendToAnyHost(PoolScope.zone(store.zoneUuid()), new DeleteBackupLeftoversCommand(
                        store.url(), directory, snapshot.snapshotUuid() + ".", keep, store.credentials()), STORE_TIMEOUT);
                if (!answer.success()) {
                    throw new StorageException(StorageException.Kind.FAILED, answer.details());
                }
            } catch (StorageException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return true;
    }
}
