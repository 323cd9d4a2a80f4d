package io.rbdstack.server.snapshot;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.tag.TagFilter;
import io.rbdstack.server.tag.TagMatch;
import io.rbdstack.server.tag.TagView;
import io.rbdstack.server.tag.TaggedType;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import io.rbdstack.server.volume.VolumeSnapshots;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Volume snapshots: {@code snapshots} rows, and in {@code snapshot_store_ref} where each one is
 * stored (role Primary: the RBD snapshot on the volume's pool). States change only through
 * {@link #move}, which applies an edge only if the row is still where the caller saw it.
 */
public final class SnapshotRepository implements VolumeSnapshots {

    public static final String MANUAL = "MANUAL";
    static final String PRIMARY = "Primary";
    static final String READY = "Ready";
    static final String GONE = "Destroyed";

    /** A live snapshot with its volume, owner and primary copy resolved. */
    public record SnapshotRow(long id, String uuid, String name, long volumeId, String volumeUuid, String volumeName,
                              String volumeType, String volumePath, Long poolId, long accountId, String accountName,
                              String domainUuid, String domainName, long zoneId, String zoneUuid, String zoneName,
                              String type, long sizeBytes, SnapshotState state, Instant created,
                              String primaryPath, long backupBytes, BackupPlace backup, BackupCheck check) {

        /** A row whose backup was never verified. */
        public SnapshotRow(long id, String uuid, String name, long volumeId, String volumeUuid, String volumeName,
                           String volumeType, String volumePath, Long poolId, long accountId, String accountName,
                           String domainUuid, String domainName, long zoneId, String zoneUuid, String zoneName,
                           String type, long sizeBytes, SnapshotState state, Instant created,
                           String primaryPath, long backupBytes, BackupPlace backup) {
            this(id, uuid, name, volumeId, volumeUuid, volumeName, volumeType, volumePath, poolId, accountId,
                    accountName, domainUuid, domainName, zoneId, zoneUuid, zoneName, type, sizeBytes, state, created,
                    primaryPath, backupBytes, backup, BackupCheck.NEVER);
        }

        /** Whether its RBD snapshot is still on primary storage (so the volume can be reverted to it). */
        public boolean onPrimary() {
            return primaryPath != null;
        }

        public SnapshotView view() {
            return view(List.of());
        }

        public SnapshotView view(List<TagView> tags) {
            return new SnapshotView(uuid, name, accountName, domainUuid, domainName, type, type,
                    ApiJson.date(created), state.name(), backupBytes, sizeBytes, onPrimary() && state.isUsable(),
                    volumeUuid, volumeName, volumeType, zoneUuid, zoneName, backup.parentUuid(), backup.parentName(),
                    backup.storeUuid(), backup.storeName(), backup.storeUuid() == null ? null : "Image", tags, false,
                    check.verified() == null ? null : ApiJson.date(check.verified()), check.result());
        }
    }

    /**
     * Where a snapshot's backup is and what it is incremental to: the image store, and the snapshot whose
     * backup it builds on (none for a full backup). All null when the snapshot is not backed up.
     */
    public record BackupPlace(String storeUuid, String storeName, String parentUuid, String parentName) {
        /** Not backed up. */
        public static final BackupPlace NONE = new BackupPlace(null, null, null, null);
    }

    /**
     * The last verification of the snapshot's backup (whole or found damaged): when, and its result (OK or
     * the damage); both null when it was never verified or there is no backup.
     */
    public record BackupCheck(Instant verified, String result) {
        /** Never verified (or no backup). */
        public static final BackupCheck NEVER = new BackupCheck(null, null);
    }

    /** A snapshot of a volume; its owner, domain and zone are the volume's. {@code type} is MANUAL or a policy's interval. */
    public record NewSnapshot(String uuid, String name, long volumeId, long sizeBytes, String type) {
    }

    /** listSnapshots filters; {@code scope} says whose snapshots, {@code types} empty = every type. */
    public record Filter(ListScope scope, Optional<String> uuid, Optional<String> volumeUuid,
                         Optional<String> name, Optional<String> keyword, Optional<String> zoneUuid,
                         List<String> types, List<TagMatch> tags) {

        /** Every live snapshot of one account. */
        public static Filter ofAccount(long accountId) {
            return new Filter(ListScope.account(accountId), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), List.of(), List.of());
        }

        /** Conditions on the snapshots table alone (alias s), each backed by an index. */
        Where where() {
            return Where.of("s.removed IS NULL").and(scope.where("s.account_id", "s.domain_id"))
                    .and(TagFilter.where(TaggedType.Snapshot, "s.id", tags)).andIf("s.uuid = ?", uuid)
                    .andIf("s.volume_id = (SELECT id FROM volumes WHERE uuid = ?)", volumeUuid)
                    .andIf("s.name = ?", name).andContains("s.name", keyword)
                    .andIf("s.data_center_id = (SELECT id FROM data_center WHERE uuid = ?)", zoneUuid)
                    .andIn("s.snapshot_type", types);
        }
    }

    private static final String JOINS = " JOIN volumes v ON v.id = s.volume_id"
            + " JOIN account a ON a.id = s.account_id JOIN domain d ON d.id = s.domain_id"
            + " JOIN data_center z ON z.id = s.data_center_id"
            + " LEFT JOIN snapshot_store_ref p ON p.snapshot_id = s.id AND p.store_role = 'Primary' AND p.state = 'Ready'";
    private static final String FROM = " FROM snapshots s" + JOINS + " WHERE s.removed IS NULL";
    /** One column of the snapshot's Ready backup (the first, should it have several). */
    private static final String BACKUP_OF = " (SELECT ";
    private static final String BACKUP_WHERE = " WHERE b.snapshot_id = s.id AND b.store_role = 'Image'"
            + " AND b.state = 'Ready' ORDER BY b.id LIMIT 1";
    private static final String STORE = " FROM snapshot_store_ref b JOIN image_store i ON i.id = b.store_id"
            + BACKUP_WHERE;
    private static final String PARENT = " FROM snapshot_store_ref b JOIN snapshots ps ON ps.id = b.parent_snapshot_id"
            + BACKUP_WHERE;
    /** A column of the snapshot's newest backup, Ready or found damaged (Error) by verification. */
    private static final String CHECK_OF = " (SELECT c.";
    private static final String CHECK_WHERE = " FROM snapshot_store_ref c WHERE c.snapshot_id = s.id"
            + " AND c.store_role = 'Image' AND c.state IN ('Ready', 'Error') ORDER BY c.id DESC LIMIT 1";
    private static final String COLUMNS = "SELECT s.id, s.uuid, s.name, s.volume_id, v.uuid AS volume_uuid,"
            + " v.name AS volume_name, v.volume_type, v.path AS volume_path, v.pool_id, s.account_id, a.account_name,"
            + " d.uuid AS domain_uuid, d.name AS domain_name, s.data_center_id, z.uuid AS zone_uuid,"
            + " z.name AS zone_name, s.snapshot_type, s.size, s.status, s.created, p.install_path AS primary_path,"
            + " (SELECT COALESCE(SUM(b.physical_size), 0) FROM snapshot_store_ref b WHERE b.snapshot_id = s.id"
            + " AND b.store_role = 'Image' AND b.state = 'Ready') AS backup_bytes,"
            + BACKUP_OF + "i.uuid" + STORE + ") AS backup_store_uuid,"
            + BACKUP_OF + "i.name" + STORE + ") AS backup_store_name,"
            + BACKUP_OF + "ps.uuid" + PARENT + ") AS backup_parent_uuid,"
            + BACKUP_OF + "ps.name" + PARENT + ") AS backup_parent_name,"
            + CHECK_OF + "verified" + CHECK_WHERE + ") AS backup_verified,"
            + CHECK_OF + "verify_result" + CHECK_WHERE + ") AS backup_verify_result";
    private static final String SELECT = COLUMNS + FROM;
    /** listSnapshots' order, newest first: the order of the ix_snapshots_*_list indexes. */
    private static final String NEWEST_FIRST = " ORDER BY s.created DESC, s.id DESC";

    private final Jdbc jdbc;

    public SnapshotRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(NewSnapshot s) {
        jdbc.insert("INSERT INTO snapshots (uuid, name, volume_id, account_id, domain_id, data_center_id, snapshot_type,"
                        + " size, status, hypervisor_type, created) SELECT ?, ?, v.id, v.account_id, v.domain_id,"
                        + " v.data_center_id, ?, ?, ?, 'KVM', ? FROM volumes v WHERE v.id = ?",
                s.uuid(), s.name(), s.type(), s.sizeBytes(), SnapshotState.Allocated, Instant.now(), s.volumeId());
    }

    public Optional<SnapshotRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND s.uuid = ?", SnapshotRepository::row, uuid);
    }

    /**
     * One page of snapshots: the page's ids are read from an index alone (the filters and the order
     * are index columns), then only those rows are joined with their volume, owner, zone and copies.
     */
    public List<SnapshotRow> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(COLUMNS + " FROM (SELECT s.id FROM snapshots s" + where.sql() + NEWEST_FIRST + limit
                + ") page JOIN snapshots s ON s.id = page.id" + JOINS + NEWEST_FIRST, SnapshotRepository::row,
                where.args());
    }

    /** How many snapshots the filter matches, counted in an index of the snapshots table. */
    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM snapshots s" + where.sql(), where.args());
    }

    /** The live snapshots of a volume, oldest first. */
    public List<SnapshotRow> ofVolume(long volumeId) {
        return jdbc.query(SELECT + " AND s.volume_id = ? ORDER BY s.id", SnapshotRepository::row, volumeId);
    }

    /** The live snapshots of a volume of one type (MANUAL or a policy's interval), oldest first. */
    public List<SnapshotRow> ofVolume(long volumeId, String type) {
        return jdbc.query(SELECT + " AND s.volume_id = ? AND s.snapshot_type = ? ORDER BY s.created, s.id",
                SnapshotRepository::row, volumeId, type);
    }

    /**
     * Moves the snapshot from {@code from} to {@code to} if it is still in {@code from}; a state that
     * {@link SnapshotState#removesRow() removes the row} also marks it removed.
     */
    public boolean move(long id, SnapshotState from, SnapshotState to) {
        from.checkMoveTo(to);
        String removed = to.removesRow() ? ", removed = COALESCE(removed, ?)" : "";
        Object[] args = to.removesRow() ? new Object[] {to, Instant.now(), id, from} : new Object[] {to, id, from};
        return jdbc.update("UPDATE snapshots SET status = ?" + removed + " WHERE id = ? AND status = ?", args) == 1;
    }

    /** Records the snapshot as taken on primary: where it is and the volume's size then. */
    public void recordOnPrimary(long snapshotId, long poolId, long volumeId, String path, long sizeBytes) {
        Instant now = Instant.now();
        jdbc.update("UPDATE snapshots SET size = ? WHERE id = ?", sizeBytes, snapshotId);
        jdbc.insert("INSERT INTO snapshot_store_ref (snapshot_id, store_id, store_role, volume_id, install_path, size,"
                        + " physical_size, state, created, last_updated) VALUES (?, ?, 'Primary', ?, ?, ?, 0, 'Ready', ?, ?)",
                snapshotId, poolId, volumeId, path, sizeBytes, now, now);
    }

    /** Its primary copy is gone (deleted, or with its volume). */
    public void primaryGone(long snapshotId) {
        jdbc.update("UPDATE snapshot_store_ref SET state = 'Destroyed', last_updated = ? WHERE snapshot_id = ?"
                + " AND store_role = 'Primary'", Instant.now(), snapshotId);
    }

    /**
     * The volume's image was deleted and its RBD snapshots with it: their primary copies are gone,
     * and snapshots that were only there are Destroyed. Backed-up ones stay.
     */
    @Override
    public boolean busy(long volumeId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM snapshots WHERE volume_id = ? AND status IN (?, ?, ?)", volumeId,
                SnapshotState.Allocated, SnapshotState.Creating, SnapshotState.BackingUp) > 0;
    }

    /** Whether a snapshot of the volume is BackingUp. */
    public boolean backingUp(long volumeId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM snapshots WHERE volume_id = ? AND status = ?", volumeId,
                SnapshotState.BackingUp) > 0;
    }

    /** Whether the volume is live and not being deleted, so its image (and RBD snapshots) stay. */
    public boolean volumeKeepsImage(long volumeId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM volumes WHERE id = ? AND removed IS NULL AND state <> 'Destroying'",
                volumeId) > 0;
    }

    /** Also ends the volume's snapshot policies, as CloudStack does when a volume is deleted. */
    @Override
    public void imageDeleted(long volumeId) {
        Instant now = Instant.now();
        jdbc.update("DELETE FROM resource_tags WHERE resource_type = ? AND resource_id IN (SELECT id FROM"
                + " snapshot_policy WHERE volume_id = ?)", TaggedType.SnapshotPolicy.name(), volumeId);
        jdbc.update("DELETE FROM snapshot_policy WHERE volume_id = ?", volumeId);
        jdbc.update("UPDATE snapshot_store_ref SET state = 'Destroyed', last_updated = ? WHERE volume_id = ?"
                + " AND store_role = 'Primary'", now, volumeId);
        jdbc.update("UPDATE snapshots SET status = ?, removed = ? WHERE volume_id = ? AND status = ?",
                SnapshotState.Destroyed, now, volumeId, SnapshotState.CreatedOnPrimary);
    }

    /**
     * Snapshots left mid-operation: Allocated, Creating, BackingUp or Destroying, older than {@code quietFor},
     * with no job on them pending on a live management server or active within {@code quietFor}.
     */
    public List<SnapshotRow> stuck(java.time.Duration quietFor) {
        Instant quietSince = Instant.now().minus(quietFor);
        return jdbc.query(SELECT + " AND s.status IN (?, ?, ?, ?) AND s.created < ? AND NOT EXISTS (SELECT 1 FROM async_job j"
                        + " LEFT JOIN mshost m ON m.msid = j.executing_msid AND m.state = 'Up' AND m.removed IS NULL"
                        + " WHERE j.instance_type = 'Snapshot' AND j.instance_id = s.uuid AND ((j.job_status = 0"
                        + " AND m.msid IS NOT NULL) OR j.last_updated > ?)) ORDER BY s.id", SnapshotRepository::row,
                SnapshotState.Allocated, SnapshotState.Creating, SnapshotState.BackingUp, SnapshotState.Destroying,
                quietSince, quietSince);
    }

    /** A snapshot's backup file on an image store, and what it is incremental to. */
    public record BackupRef(long snapshotId, long storeId, String path, Long parentSnapshotId, String checksum) {
    }

    /** The Ready backup of the snapshot, if it has one. */
    public Optional<BackupRef> backup(long snapshotId) {
        return jdbc.queryOne("SELECT snapshot_id, store_id, install_path, parent_snapshot_id, checksum"
                + " FROM snapshot_store_ref WHERE snapshot_id = ? AND store_role = 'Image' AND state = 'Ready'",
                SnapshotRepository::backupRef, snapshotId);
    }

    private static BackupRef backupRef(ResultSet rs) throws SQLException {
        return new BackupRef(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getObject(4, Long.class),
                rs.getString(5));
    }

    /**
     * What an incremental backup of snapshot {@code snapshotId} can be taken from: the newest earlier
     * BackedUp snapshot of the volume whose RBD snapshot is still on primary.
     */
    public Optional<SnapshotRow> backupBase(long volumeId, long snapshotId) {
        // Its id first, from the volume's indexes alone; then that one row with its columns, each of which is a
        // subquery (over every candidate, they took 5-9 ms of each backup job with ~80 snapshots of the volume).
        // Never across a damaged backup (verification marked it Error): the next backup after one is full.
        Optional<Long> id = jdbc.queryOne("SELECT s.id FROM snapshots s WHERE s.volume_id = ? AND s.id < ?"
                        + " AND s.status = 'BackedUp' AND s.removed IS NULL"
                        + " AND EXISTS (SELECT 1 FROM snapshot_store_ref p WHERE p.snapshot_id = s.id"
                        + " AND p.store_role = 'Primary' AND p.state = 'Ready')"
                        + " AND EXISTS (SELECT 1 FROM snapshot_store_ref b WHERE b.snapshot_id = s.id"
                        + " AND b.store_role = 'Image' AND b.state = 'Ready')"
                        + " AND s.id > COALESCE((SELECT MAX(e.snapshot_id) FROM snapshot_store_ref e"
                        + " WHERE e.volume_id = ? AND e.store_role = 'Image' AND e.state = 'Error'), 0)"
                        + " ORDER BY s.id DESC LIMIT 1",
                rs -> rs.getLong(1), volumeId, snapshotId, volumeId);
        // LIMIT 1: the row again should the snapshot have two Ready copies on primary (its LEFT JOIN).
        return id.flatMap(base -> jdbc.queryOne(SELECT + " AND s.id = ? LIMIT 1", SnapshotRepository::row, base));
    }

    /**
     * The volume's Ready backups, each snapshot's id to the id of the snapshot its backup is incremental to (null:
     * a full one), its deleted snapshots' backups that later ones still build on included: one query for a whole
     * chain.
     */
    public Map<Long, Long> backupParents(long volumeId) {
        Map<Long, Long> parents = new HashMap<>();
        for (BackupRef ref : jdbc.query("SELECT snapshot_id, store_id, install_path, parent_snapshot_id, checksum"
                + " FROM snapshot_store_ref WHERE volume_id = ? AND store_role = 'Image' AND state = 'Ready'",
                SnapshotRepository::backupRef, volumeId)) {
            parents.put(ref.snapshotId(), ref.parentSnapshotId());
        }
        return parents;
    }

    /** A backup that verification found damaged (its row in Error): which snapshot's, and what was found. */
    public record DamagedBackup(long snapshotId, String snapshotUuid, String snapshotName, long storeId, String path,
                                Long parentSnapshotId, String result, String details) {

        /** Its file, to delete with its snapshot. */
        public BackupRef file() {
            return new BackupRef(snapshotId, storeId, path, parentSnapshotId, null);
        }
    }

    /** The snapshot's backup if verification found it, or the chain it builds on, damaged. */
    public Optional<DamagedBackup> damagedBackup(long snapshotId) {
        return jdbc.queryOne("SELECT s.id, s.uuid, s.name, b.store_id, b.install_path, b.parent_snapshot_id,"
                + " b.verify_result,"
                + " b.verify_details FROM snapshot_store_ref b JOIN snapshots s ON s.id = b.snapshot_id"
                + " WHERE b.snapshot_id = ? AND b.store_role = 'Image' AND b.state = 'Error' ORDER BY b.id DESC LIMIT 1",
                rs -> new DamagedBackup(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getObject(6, Long.class), rs.getString(7), rs.getString(8)), snapshotId);
    }

    public void recordBackup(long snapshotId, long storeId, long volumeId, String path, Long parentSnapshotId,
                             long sizeBytes, long physicalBytes, String checksum) {
        Instant now = Instant.now();
        jdbc.insert("INSERT INTO snapshot_store_ref (snapshot_id, store_id, store_role, volume_id, install_path,"
                        + " parent_snapshot_id, size, physical_size, checksum, state, created, last_updated)"
                        + " VALUES (?, ?, 'Image', ?, ?, ?, ?, ?, ?, 'Ready', ?, ?)", snapshotId, storeId, volumeId,
                path, parentSnapshotId, sizeBytes, physicalBytes, checksum, now, now);
    }

    /**
     * Ready (or damaged: Error) backups of deleted snapshots that no Ready backup depends on any more:
     * files nothing needs.
     */
    public List<BackupRef> orphanBackups() {
        return jdbc.query("SELECT r.snapshot_id, r.store_id, r.install_path, r.parent_snapshot_id, r.checksum"
                + " FROM snapshot_store_ref r JOIN snapshots s ON s.id = r.snapshot_id WHERE r.store_role = 'Image'"
                + " AND r.state IN ('Ready', 'Error') AND s.removed IS NOT NULL AND NOT EXISTS (SELECT 1 FROM snapshot_store_ref c"
                + " WHERE c.parent_snapshot_id = r.snapshot_id AND c.store_role = 'Image' AND c.state = 'Ready')"
                + " ORDER BY r.snapshot_id DESC", SnapshotRepository::backupRef);
    }

    /** How many Ready backups are incremental to this snapshot's backup. */
    public long backupChildren(long snapshotId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM snapshot_store_ref WHERE parent_snapshot_id = ?"
                + " AND store_role = 'Image' AND state = 'Ready'", snapshotId);
    }

    /** Whether the snapshot row is gone for the API (Destroyed or Error). */
    public boolean removed(long snapshotId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM snapshots WHERE id = ? AND removed IS NOT NULL", snapshotId) > 0;
    }

    public void backupGone(long snapshotId) {
        jdbc.update("UPDATE snapshot_store_ref SET state = 'Destroyed', last_updated = ? WHERE snapshot_id = ?"
                + " AND store_role = 'Image'", Instant.now(), snapshotId);
    }

    /** A backup attempt of the snapshot begins or ends now: its unaccepted attempts' files go some time after. */
    public void backupAttempted(long snapshotId) {
        jdbc.update("UPDATE snapshots SET backup_attempted = ? WHERE id = ?", Instant.now(), snapshotId);
    }

    /**
     * A snapshot whose backup attempts may have left files: where they are, the pool of its volume (null when the
     * volume is gone) and when the last attempt began or ended.
     */
    public record AttemptedBackup(long snapshotId, String snapshotUuid, long accountId, long volumeId, Long poolId,
                                  long zoneId, Instant attempted) {
    }

    /**
     * Snapshots (deleted ones too) that no backup can start for any more (BackedUp, or deleted) and whose last backup
     * attempt began or ended before the cutoff of their volume's pool in {@code beforeByPool} (pool id to cutoff), or
     * before {@code beforeOtherwise} when their volume's pool is not there (the volume or pool is gone); oldest first,
     * at most {@code limit}.
     */
    public List<AttemptedBackup> settledBackupAttempts(Map<Long, Instant> beforeByPool, Instant beforeOtherwise,
                                                       int limit) {
        List<Object> args = new ArrayList<>();
        // The latest cutoff of all first, so that the index on backup_attempted bounds the rows read.
        args.add(beforeByPool.values().stream().reduce(beforeOtherwise, (a, b) -> a.isAfter(b) ? a : b));
        args.addAll(List.of(SnapshotState.BackedUp, SnapshotState.Destroyed, SnapshotState.Error));
        // One condition per distinct cutoff (pools are many, their providers' transfer bounds few), each comparing the
        // column with a constant, and one for the snapshots of no pool among them.
        Map<Instant, List<Long>> poolsByCutoff = new TreeMap<>();
        beforeByPool.forEach((pool, before) -> poolsByCutoff.computeIfAbsent(before, b -> new ArrayList<>()).add(pool));
        List<String> conditions = new ArrayList<>();
        poolsByCutoff.forEach((before, pools) -> {
            conditions.add("(v.pool_id IN (" + marks(pools.size()) + ") AND s.backup_attempted < ?)");
            args.addAll(pools);
            args.add(before);
        });
        conditions.add(beforeByPool.isEmpty() ? "s.backup_attempted < ?" : "((v.pool_id IS NULL OR v.pool_id NOT IN ("
                + marks(beforeByPool.size()) + ")) AND s.backup_attempted < ?)");
        args.addAll(beforeByPool.keySet());
        args.add(beforeOtherwise);
        String perPool = "(" + String.join(" OR ", conditions) + ")";
        return jdbc.query("SELECT s.id, s.uuid, s.account_id, s.volume_id, v.pool_id, s.data_center_id,"
                        + " s.backup_attempted FROM snapshots s LEFT JOIN volumes v ON v.id = s.volume_id"
                        + " WHERE s.backup_attempted < ? AND s.status IN (?, ?, ?) AND " + perPool
                        + " ORDER BY s.backup_attempted LIMIT " + limit,
                rs -> new AttemptedBackup(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                        rs.getObject(5, Long.class), rs.getLong(6), Jdbc.instant(rs, "backup_attempted")),
                args.toArray());
    }

    private static String marks(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    /** The names of every backup file recorded for the snapshot, whatever their state. */
    public List<String> recordedBackupPaths(long snapshotId) {
        return jdbc.query("SELECT install_path FROM snapshot_store_ref WHERE snapshot_id = ? AND store_role = 'Image'"
                + " AND install_path IS NOT NULL", rs -> rs.getString(1), snapshotId);
    }

    /** Its attempts' leftovers are gone, unless an attempt began or ended since {@code attempted}. */
    public void backupAttemptsCleared(long snapshotId, Instant attempted) {
        jdbc.update("UPDATE snapshots SET backup_attempted = NULL WHERE id = ? AND backup_attempted = ?", snapshotId,
                attempted);
    }

    /**
     * Its attempts' leftovers could not be deleted: it is stamped {@code retry} (as if last attempted then), so it
     * settles again later, behind the others; unless an attempt began or ended since {@code attempted}.
     */
    public void backupAttemptsRetryAt(long snapshotId, Instant attempted, Instant retry) {
        jdbc.update("UPDATE snapshots SET backup_attempted = ? WHERE id = ? AND backup_attempted = ?", retry,
                snapshotId, attempted);
    }

    /** Locks the volume's row until the transaction ends: revert and delete of its snapshots take turns. */
    public void lockVolume(long volumeId) {
        jdbc.query("SELECT id FROM volumes WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), volumeId);
    }

    private static SnapshotRow row(ResultSet rs) throws SQLException {
        return new SnapshotRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"), rs.getLong("volume_id"),
                rs.getString("volume_uuid"), rs.getString("volume_name"), rs.getString("volume_type"),
                rs.getString("volume_path"), rs.getObject("pool_id", Long.class), rs.getLong("account_id"),
                rs.getString("account_name"), rs.getString("domain_uuid"), rs.getString("domain_name"),
                rs.getLong("data_center_id"), rs.getString("zone_uuid"), rs.getString("zone_name"),
                rs.getString("snapshot_type"), rs.getLong("size"), SnapshotState.valueOf(rs.getString("status")),
                Jdbc.instant(rs, "created"), rs.getString("primary_path"), rs.getLong("backup_bytes"),
                new BackupPlace(rs.getString("backup_store_uuid"), rs.getString("backup_store_name"),
                        rs.getString("backup_parent_uuid"), rs.getString("backup_parent_name")),
                new BackupCheck(Jdbc.instant(rs, "backup_verified"), rs.getString("backup_verify_result")));
    }
}
