package io.rbdstack.server.snapshot;

import io.rbdstack.server.alert.AlertType;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.limit.LimitCheck;
import io.rbdstack.server.limit.ResourceType;
import io.rbdstack.server.imagestore.ImageStoreRepository;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StorageErrors;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.server.volume.VolumeStorage;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.store.DeleteBackupCommand;
import io.rbdstack.spi.storage.BackupFileRef;
import io.rbdstack.spi.storage.BackupInfo;
import io.rbdstack.spi.storage.BackupTarget;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.TransferProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshot backups on the zone's image store. A backup is incremental to the newest earlier backed-up
 * snapshot of the volume still on primary (its RBD snapshot is the diff's base), unless that would make
 * the chain longer than {@code snapshot.delta.max}; otherwise it is full. A backup that later ones
 * depend on is kept until they are gone, even when its own snapshot is deleted.
 */
public final class SnapshotBackups {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotBackups.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);
    private static final String EXTENSION = ".rbddiff";

    private final SnapshotRepository snapshots;
    private final ImageStoreRepository stores;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final SettingsRepository settings;
    private final HostGateway hosts;
    private final Jdbc jdbc;
    private final Alerts alerts;
    private final LimitCheck limits;

    public SnapshotBackups(Jdbc jdbc, SnapshotRepository snapshots, ImageStoreRepository stores, StoragePoolRepository pools,
                           StoragePoolService poolService, SettingsRepository settings, HostGateway hosts,
                           Alerts alerts, LimitCheck limits) {
        this.jdbc = jdbc;
        this.alerts = alerts;
        this.limits = limits;
        this.snapshots = snapshots;
        this.stores = stores;
        this.pools = pools;
        this.poolService = poolService;
        this.settings = settings;
        this.hosts = hosts;
    }

    /**
     * backupSnapshot's request part: the snapshot must be CreatedOnPrimary and its zone have an image
     * store; it goes BackingUp.
     */
    public void beginBackup(SnapshotRepository.SnapshotRow snapshot) {
        // Under the volume's row lock, as deleteSnapshot: a snapshot this backup may be incremental to
        // cannot start being deleted meanwhile.
        jdbc.transaction(() -> {
            // A running backup holds the snapshot's size of secondary storage until its file's size is known.
            limits.check(snapshot.accountId(), java.util.Map.of(ResourceType.secondary_storage, snapshot.sizeBytes()));
            snapshots.lockVolume(snapshot.volumeId());
            moveToBackingUp(snapshots.find(snapshot.uuid()).orElseThrow(() -> ApiException.invalidParameter(
                    "Snapshot " + snapshot.uuid() + " was deleted meanwhile")));
        });
    }

    /** 431 when the zone has no image store to back snapshots up to. */
    public void requireImageStore(long zoneId, String zoneName) {
        if (stores.ofZone(zoneId).isEmpty()) {
            throw ApiException.invalidParameter("Zone " + zoneName + " has no image store to back snapshots up to; add"
                    + " one with addImageStore (or set snapshot.backup.to.secondary to false)");
        }
    }

    private void moveToBackingUp(SnapshotRepository.SnapshotRow snapshot) {
        if (snapshot.state() != SnapshotState.CreatedOnPrimary) {
            throw ApiException.invalidParameter("Snapshot " + snapshot.name() + " is " + snapshot.state()
                    + "; only a snapshot that is CreatedOnPrimary can be backed up");
        }
        requireImageStore(snapshot.zoneId(), snapshot.zoneName());
        if (!snapshots.move(snapshot.id(), SnapshotState.CreatedOnPrimary, SnapshotState.BackingUp)) {
            throw ApiException.invalidParameter("Snapshot " + snapshot.name() + " is no longer CreatedOnPrimary");
        }
        snapshots.backupAttempted(snapshot.id());
        // Checked after the move, as deleteVolume checks the snapshots after its own: of the two, at
        // least one sees the other and backs off.
        if (!snapshots.volumeKeepsImage(snapshot.volumeId())) {
            snapshots.move(snapshot.id(), SnapshotState.BackingUp, SnapshotState.CreatedOnPrimary);
            throw ApiException.invalidParameter("Volume " + snapshot.volumeName() + " is being deleted; its snapshot "
                    + snapshot.name() + " cannot be backed up");
        }
    }

    /**
     * backupSnapshot's job: writes the backup and records it, reporting the bytes copied to
     * {@code progress}; on failure the snapshot is CreatedOnPrimary again and an alert is raised.
     */
    public SnapshotRepository.SnapshotRow backup(SnapshotRepository.SnapshotRow snapshot, TransferProgress progress) {
        long start = System.nanoTime();
        try {
            // A chain lives on one store: next to its base if there is one, else on the emptiest store.
            Optional<SnapshotRepository.SnapshotRow> candidate = snapshots.backupBase(snapshot.volumeId(),
                    snapshot.id()).filter(b -> chainLength(snapshots.backupParents(snapshot.volumeId()), b.id())
                    < Math.max(0, settings.longValue(Setting.SNAPSHOT_DELTA_MAX)));
            Optional<ImageStoreRepository.StoreRow> baseStore = candidate.flatMap(b -> snapshots.backup(b.id()))
                    .flatMap(ref -> stores.findById(ref.storeId()));
            // A base whose store was deleted cannot be built on: a new chain starts.
            Optional<SnapshotRepository.SnapshotRow> base = baseStore.isPresent() ? candidate : Optional.empty();
            ImageStoreRepository.StoreRow store = baseStore.or(() -> stores.ofZone(snapshot.zoneId()).stream().findFirst())
                    .orElseThrow(() -> ApiException.invalidParameter("The image store of zone " + snapshot.zoneName()
                            + " is gone"));
            String directory = directory(snapshot.accountId(), snapshot.volumeId());
            String path = directory + "/" + snapshot.uuid() + EXTENSION;
            VolumeStorage storage = VolumeStorage.of(snapshot.poolId(), pools, poolService).orElseThrow(() ->
                    ApiException.internal("The storage pool of volume " + snapshot.volumeName() + " is gone", null));
            long sent = System.nanoTime();
            BackupInfo written = storage.provider().backupSnapshot(storage.stored(), snapshot.volumePath(),
                    snapshot.uuid(), base.map(SnapshotRepository.SnapshotRow::uuid).orElse(null),
                    new BackupTarget(store.url(), path, store.credentials()), progress);
            long answered = System.nanoTime();
            if (!isAttemptOf(written.path(), directory, snapshot.uuid())) {
                throw ApiException.internal("The host answered the backup of snapshot " + snapshot.uuid() + " with file "
                        + written.path() + ", not one of its attempts' (" + directory + "/" + snapshot.uuid() + ".<attempt>"
                        + EXTENSION + ")", null);
            }
            jdbc.transaction(() -> {
                snapshots.recordBackup(snapshot.id(), store.id(), snapshot.volumeId(), written.path(),
                        base.map(SnapshotRepository.SnapshotRow::id).orElse(null), snapshot.sizeBytes(),
                        written.physicalSizeBytes(), written.sha256());
                if (!snapshots.move(snapshot.id(), SnapshotState.BackingUp, SnapshotState.BackedUp)) {
                    throw new IllegalStateException("snapshot " + snapshot.uuid() + " left BackingUp meanwhile");
                }
                snapshots.backupAttempted(snapshot.id()); // an attempt the server gave up on may still run
            });
            long now = System.nanoTime();
            LOG.info("Backed up snapshot {} ({}) to image store {}: {}, {} bytes in {} ms ({} ms choosing the base and"
                    + " the store, {} ms on the host, {} ms recording it)", snapshot.name(), snapshot.uuid(),
                    store.name(), base.map(b -> "incremental since " + b.name()).orElse("full"),
                    written.physicalSizeBytes(), (now - start) / 1_000_000, (sent - start) / 1_000_000,
                    (answered - sent) / 1_000_000, (now - answered) / 1_000_000);
        } catch (StorageException | RuntimeException e) {
            ApiException failure = StorageErrors.failed("Snapshot " + snapshot.name() + " was not backed up", e);
            try {
                snapshots.move(snapshot.id(), SnapshotState.BackingUp, SnapshotState.CreatedOnPrimary);
                snapshots.backupAttempted(snapshot.id()); // an attempt the server gave up on may still run
            } catch (RuntimeException recording) {
                failure.addSuppressed(recording);
            }
            alerts.failed(AlertType.STORAGE_MISC, snapshot.uuid(), "Backup of snapshot " + snapshot.name() + " ("
                    + snapshot.uuid() + ") of volume " + snapshot.volumeName() + " failed: " + failure.getMessage());
            throw failure;
        }
        return snapshots.find(snapshot.uuid()).orElseThrow();
    }

    /** The directory of a volume's backup files on its store. */
    static String directory(long accountId, long volumeId) {
        return "snapshots/" + accountId + "/" + volumeId;
    }

    /**
     * Whether {@code path} is a file an attempt at the snapshot's backup writes: {@code <directory>/<uuid>.<attempt>.rbddiff}
     * (or {@code <uuid>.rbddiff}, as agents before attempt names wrote), never outside the directory.
     */
    static boolean isAttemptOf(String path, String directory, String snapshotUuid) {
        String prefix = directory + "/" + snapshotUuid + ".";
        // The plain name <uuid>.rbddiff of agents before, or <uuid>.<attempt>.rbddiff with an attempt of 1+ chars.
        return path != null && path.startsWith(prefix) && path.endsWith(EXTENSION)
                && path.indexOf('/', prefix.length()) < 0 && (path.equals(directory + "/" + snapshotUuid + EXTENSION)
                || path.length() > prefix.length() + EXTENSION.length());
    }

    /** The files to restore the snapshot from: its full backup first, then each incremental one up to its own. */
    public List<BackupFileRef> chain(long snapshotId) {
        List<BackupFileRef> chain = new ArrayList<>();
        refuseDamaged(snapshotId);
        Optional<SnapshotRepository.BackupRef> next = snapshots.backup(snapshotId);
        if (next.isEmpty()) {
            throw ApiException.invalidParameter("Snapshot " + snapshotId + " has no backup to restore from");
        }
        while (next.isPresent()) {
            SnapshotRepository.BackupRef ref = next.get();
            ImageStoreRepository.StoreRow store = stores.findById(ref.storeId()).orElseThrow(() ->
                    ApiException.internal("The image store of a backup of snapshot " + snapshotId + " is gone", null));
            chain.add(new BackupFileRef(store.url(), ref.path(), ref.checksum(), store.credentials()));
            if (chain.size() > 10_000) {
                throw new IllegalStateException("backup chain of snapshot " + snapshotId + " loops");
            }
            if (ref.parentSnapshotId() != null) {
                refuseDamaged(ref.parentSnapshotId());
            }
            next = ref.parentSnapshotId() == null ? Optional.empty() : snapshots.backup(ref.parentSnapshotId());
            if (ref.parentSnapshotId() != null && next.isEmpty()) {
                throw ApiException.internal("The backup of snapshot " + snapshotId + " is incremental to a backup that"
                        + " is gone", null);
            }
        }
        Collections.reverse(chain);
        return chain;
    }

    /** 431 naming the backup when verification found it damaged: a restore from it would not be the snapshot. */
    private void refuseDamaged(long snapshotId) {
        snapshots.damagedBackup(snapshotId).ifPresent(damaged -> {
            throw ApiException.invalidParameter("The backup of snapshot " + damaged.snapshotName() + " ("
                    + damaged.snapshotUuid() + ", " + damaged.path() + ") is damaged (" + damaged.result() + ": "
                    + damaged.details() + "); nothing can be restored from it (parameter snapshotid)");
        });
    }

    /**
     * After its snapshot is deleted: deletes its backup file unless later backups depend on it, then
     * the files of deleted snapshots it was the last dependant of.
     */
    public void deleteBackupOf(SnapshotRepository.SnapshotRow snapshot) throws StorageException {
        // A damaged backup's file goes with its snapshot too.
        Optional<SnapshotRepository.BackupRef> own = snapshots.backup(snapshot.id())
                .or(() -> snapshots.damagedBackup(snapshot.id()).map(SnapshotRepository.DamagedBackup::file));
        if (own.isEmpty() || snapshots.backupChildren(snapshot.id()) > 0) {
            return;
        }
        deleteFile(own.get());
        // Its own file is gone, so the snapshot is deleted whatever happens to its ancestors now: one
        // that cannot be deleted stays Ready and the storage cleanup collects it (collectOrphans).
        Long parent = own.get().parentSnapshotId();
        while (parent != null && snapshots.removed(parent)) {
            Optional<SnapshotRepository.BackupRef> ref = snapshots.backup(parent);
            if (ref.isEmpty() || snapshots.backupChildren(parent) > 0) {
                return;
            }
            try {
                deleteFile(ref.get());
            } catch (StorageException | RuntimeException e) {
                LOG.warn("The backup of deleted snapshot {} is no longer needed but could not be deleted: {}", parent,
                        e.getMessage());
                return;
            }
            parent = ref.get().parentSnapshotId();
        }
    }

    /**
     * Deletes backup files nothing needs any more (their snapshot deleted, no later backup built on
     * them) that a delete could not remove at the time. Newest first, so a chain unwinds in one run.
     */
    public int collectOrphans() {
        int deleted = 0;
        List<SnapshotRepository.BackupRef> orphans = snapshots.orphanBackups();
        while (!orphans.isEmpty()) {
            int before = deleted;
            for (SnapshotRepository.BackupRef orphan : orphans) {
                try {
                    deleteFile(orphan);
                    deleted++;
                } catch (StorageException | RuntimeException e) {
                    LOG.warn("Backup {} of deleted snapshot {} cannot be deleted yet: {}", orphan.path(),
                            orphan.snapshotId(), e.getMessage());
                }
            }
            if (deleted == before) {
                break; // none could go this time: the next run tries again
            }
            orphans = snapshots.orphanBackups(); // their parents may be orphans now
        }
        return deleted;
    }

    private void deleteFile(SnapshotRepository.BackupRef ref) throws StorageException {
        ImageStoreRepository.StoreRow store = stores.findById(ref.storeId()).orElse(null);
        if (store != null) {
            Answer answer = hosts.sendToAnyHost(PoolScope.zone(store.zoneUuid()),
                    new DeleteBackupCommand(store.url(), ref.path(), store.credentials()), STORE_TIMEOUT);
            if (!answer.success()) {
                throw new StorageException(StorageException.Kind.FAILED, answer.details());
            }
        }
        snapshots.backupGone(ref.snapshotId());
    }


    /** How many incremental backups lead from a full one to the snapshot's: {@code parents} as backupParents says. */
    static int chainLength(Map<Long, Long> parents, long snapshotId) {
        int length = 0;
        Long parent = parents.get(snapshotId);
        while (parent != null && length < 10_000) {
            length++;
            parent = parents.get(parent);
        }
        return length;
    }
}
