package io.rbdstack.server.volume;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.tag.TagFilter;
import io.rbdstack.server.tag.TagMatch;
import io.rbdstack.server.tag.TagView;
import io.rbdstack.server.tag.TaggedType;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Volumes ({@code volumes} rows). States change only through {@link #move}, which checks the edge
 * with {@link VolumeState} and applies it only if the row is still in the state the caller saw, so
 * two operations racing on one volume cannot both proceed.
 */
public final class VolumeRepository {

    /** Data disks only so far; root disks come with VMs. */
    public static final String DATADISK = "DATADISK";

    /** A live volume row with its zone, pool, offering and owner resolved. */
    public record VolumeRow(long id, String uuid, String name, long accountId, String accountName, String domainUuid,
                            String domainName, long zoneId, String zoneUuid, String zoneName, Long poolId,
                            String poolUuid, String poolName, Long offeringId, String offeringUuid,
                            String offeringName, String provisioningType, String type, long sizeBytes, String path,
                            VolumeState state, Instant created, Attachment attachment) {

        /** A volume attached to no VM. */
        public VolumeRow(long id, String uuid, String name, long accountId, String accountName, String domainUuid,
                         String domainName, long zoneId, String zoneUuid, String zoneName, Long poolId,
                         String poolUuid, String poolName, Long offeringId, String offeringUuid,
                         String offeringName, String provisioningType, String type, long sizeBytes, String path,
                         VolumeState state, Instant created) {
            this(id, uuid, name, accountId, accountName, domainUuid, domainName, zoneId, zoneUuid, zoneName, poolId,
                    poolUuid, poolName, offeringId, offeringUuid, offeringName, provisioningType, type, sizeBytes, path,
                    state, created, null);
        }

        public VolumeView view() {
            return view(List.of());
        }

        public VolumeView view(List<TagView> tags) {
            return new VolumeView(uuid, name, zoneUuid, zoneName, type, sizeBytes, state.name(), poolUuid, poolName,
                    "shared", offeringUuid, offeringName, accountName, domainUuid, domainName, ApiJson.date(created),
                    path, provisioningType == null ? "thin" : provisioningType, tags,
                    attachment == null ? null : attachment.vmUuid(), attachment == null ? null : attachment.vmName(),
                    attachment == null ? null : attachment.vmDisplayName(),
                    attachment == null ? null : attachment.vmState(),
                    attachment == null ? null : attachment.deviceId());
        }

        public boolean attached() {
            return attachment != null;
        }
    }

    /** The VM a volume is attached to, and its device id there (listVolumes' CloudStack keys). */
    public record Attachment(long vmId, String vmUuid, String vmName, String vmDisplayName, String vmState,
                             long deviceId) {
    }

    /** What createVolume saves before the storage is asked for anything. */
    public record NewVolume(String uuid, String name, long accountId, long domainId, long zoneId, long poolId,
                            Long offeringId, long sizeBytes) {
    }

    /** listVolumes filters; {@code scope} says whose volumes. */
    public record Filter(ListScope scope, Optional<String> uuid, Optional<String> name,
                         Optional<String> zoneUuid, Optional<String> poolUuid, Optional<String> keyword,
                         Optional<String> type, Optional<String> vmUuid, List<TagMatch> tags) {

        /** Every live volume of one account. */
        public static Filter ofAccount(long accountId) {
            return new Filter(ListScope.account(accountId), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of());
        }

        /** Conditions on the volumes table alone (alias v), each backed by an index. */
        Where where() {
            return Where.of("v.removed IS NULL").and(scope.where("v.account_id", "v.domain_id"))
                    .and(TagFilter.where(TaggedType.Volume, "v.id", tags)).andIf("v.uuid = ?", uuid)
                    .andIf("v.name = ?", name)
                    .andIf("v.data_center_id = (SELECT id FROM data_center WHERE uuid = ?)", zoneUuid)
                    .andIf("v.pool_id = (SELECT id FROM storage_pool WHERE uuid = ?)", poolUuid)
                    .andIf("v.instance_id = (SELECT id FROM vm_instance WHERE uuid = ?)", vmUuid)
                    .andContains("v.name", keyword).andIf("v.volume_type = ?", type);
        }
    }

    private static final String JOINS = " JOIN data_center z ON z.id = v.data_center_id"
            + " JOIN account a ON a.id = v.account_id JOIN domain d ON d.id = v.domain_id"
            + " LEFT JOIN storage_pool s ON s.id = v.pool_id LEFT JOIN disk_offering o ON o.id = v.disk_offering_id"
            + " LEFT JOIN vm_instance i ON i.id = v.instance_id";
    private static final String COLUMNS = "SELECT v.id, v.uuid, v.name, v.account_id, a.account_name,"
            + " d.uuid AS domain_uuid, d.name AS domain_name, v.data_center_id, z.uuid AS zone_uuid, z.name AS zone_name,"
            + " v.pool_id, s.uuid AS pool_uuid, s.name AS pool_name, v.disk_offering_id, o.uuid AS offering_uuid,"
            + " o.name AS offering_name, o.provisioning_type, v.volume_type, v.size, v.path, v.state, v.created,"
            + " v.instance_id, v.device_id, i.uuid AS vm_uuid, i.name AS vm_name, i.display_name AS vm_display_name,"
            + " i.state AS vm_state";
    private static final String SELECT = COLUMNS + " FROM volumes v" + JOINS + " WHERE v.removed IS NULL";

    private final Jdbc jdbc;

    public VolumeRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Saves the volume as Allocated; its path is its uuid, the name the storage creates it under. */
    public void insert(NewVolume v) {
        Instant now = Instant.now();
        jdbc.insert("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, disk_offering_id,"
                        + " volume_type, size, path, format, state, created, updated)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'RAW', ?, ?, ?)", v.uuid(), v.name(), v.accountId(),
                v.domainId(), v.zoneId(), v.poolId(), v.offeringId(), DATADISK, v.sizeBytes(), v.uuid(),
                VolumeState.Allocated, now, now);
    }

    public Optional<VolumeRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND v.uuid = ?", VolumeRepository::row, uuid);
    }

    /**
     * One page of volumes: the page's ids are read from an index alone (the filters and the order are
     * index columns), then only those rows are joined with their zone, owner, pool and offering.
     */
    public List<VolumeRow> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(COLUMNS + " FROM (SELECT v.id FROM volumes v" + where.sql() + " ORDER BY v.id" + limit
                + ") page JOIN volumes v ON v.id = page.id" + JOINS + " ORDER BY v.id", VolumeRepository::row,
                where.args());
    }

    /** How many volumes the filter matches, counted in an index of the volumes table. */
    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM volumes v" + where.sql(), where.args());
    }

    /**
     * Moves the volume from {@code from} to {@code to} if it is still in {@code from}; a state that
     * {@link VolumeState#removesRow() removes the row} also marks it removed.
     *
     * @return false when the volume was no longer in {@code from} (another operation got there first)
     * @throws IllegalStateException when {@code to} may not follow {@code from}: a bug in the caller
     */
    public boolean move(long id, VolumeState from, VolumeState to) {
        from.checkMoveTo(to);
        Instant now = Instant.now();
        String removed = to.removesRow() ? ", removed = COALESCE(removed, ?)" : "";
        Object[] args = to.removesRow() ? new Object[] {to, now, now, id, from} : new Object[] {to, now, id, from};
        return jdbc.update("UPDATE volumes SET state = ?, updated = ?" + removed + " WHERE id = ? AND state = ?",
                args) == 1;
    }

    /**
     * {@code from} (Creating or Resizing) to Ready, recording what the storage reports and, after a
     * resize to another offering, the new offering.
     */
    public boolean moveToReady(long id, VolumeState from, String path, long sizeBytes, Long offeringId) {
        from.checkMoveTo(VolumeState.Ready);
        return jdbc.update("UPDATE volumes SET state = ?, path = ?, size = ?, disk_offering_id = ?, updated = ?"
                        + " WHERE id = ? AND state = ?", VolumeState.Ready, path, sizeBytes, offeringId, Instant.now(),
                id, from) == 1;
    }

    /**
     * Ready to Resizing, recording the target size at once so that the growth holds its pool's
     * capacity while the storage works (two resizes cannot together overfill a pool).
     */
    public boolean moveToResizing(long id, long targetSizeBytes) {
        VolumeState.Ready.checkMoveTo(VolumeState.Resizing);
        return jdbc.update("UPDATE volumes SET state = ?, size = ?, updated = ? WHERE id = ? AND state = ?",
                VolumeState.Resizing, targetSizeBytes, Instant.now(), id, VolumeState.Ready) == 1;
    }

    /**
     * Volumes left mid-operation: in a state an operation passes through, not changed for
     * {@code quietFor}, and with no pending job on a management server that is still Up. Such a
     * volume's operation died with the server running it.
     */
    public List<VolumeRow> stuck(Duration quietFor) {
        return jdbc.query(SELECT + " AND v.state IN (?, ?, ?, ?, ?, ?) AND v.updated < ? AND NOT EXISTS (SELECT 1"
                        + " FROM async_job j JOIN mshost m ON m.msid = j.executing_msid WHERE j.job_status = 0"
                        + " AND m.state = 'Up' AND m.removed IS NULL AND ((j.instance_type = 'Volume'"
                        + " AND j.instance_id = v.uuid) OR (j.instance_type = 'Snapshot' AND j.instance_id IN"
                        + " (SELECT s.uuid FROM snapshots s WHERE s.volume_id = v.id))))"
                        + " ORDER BY v.id", VolumeRepository::row, VolumeState.Allocated, VolumeState.Creating,
                VolumeState.Resizing, VolumeState.Destroying, VolumeState.Snapshotting,
                VolumeState.RevertSnapshotting, Instant.now().minus(quietFor));
    }

    /** A volume deleted with a deferral whose data its storage may still hold. */
    public record DeletedVolume(long id, String uuid, String name, long accountId, long poolId, String path) {
    }

    private static final String DELETED = "SELECT v.id, v.uuid, v.name, v.account_id, v.pool_id, v.path FROM volumes v"
            + " JOIN storage_pool s ON s.id = v.pool_id AND s.removed IS NULL WHERE v.state = ?";

    /** Destroyed volumes deleted before {@code deletedBefore}, on pools that still exist. */
    public List<DeletedVolume> destroyedBefore(Instant deletedBefore) {
        return jdbc.query(DELETED + " AND v.removed < ? ORDER BY v.id", VolumeRepository::deleted,
                VolumeState.Destroyed, deletedBefore);
    }

    /** Volumes of expunged VMs that a client still had open when they were deleted, on pools that still exist. */
    public List<DeletedVolume> expunging() {
        return jdbc.query(DELETED + " ORDER BY v.id", VolumeRepository::deleted, VolumeState.Expunging);
    }

    private static DeletedVolume deleted(ResultSet rs) throws SQLException {
        return new DeletedVolume(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"),
                rs.getLong("account_id"), rs.getLong("pool_id"), rs.getString("path"));
    }

    private static VolumeRow row(ResultSet rs) throws SQLException {
        return new VolumeRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"), rs.getLong("account_id"),
                rs.getString("account_name"), rs.getString("domain_uuid"), rs.getString("domain_name"),
                rs.getLong("data_center_id"), rs.getString("zone_uuid"), rs.getString("zone_name"),
                rs.getObject("pool_id", Long.class),
                rs.getString("pool_uuid"), rs.getString("pool_name"), rs.getObject("disk_offering_id", Long.class),
                rs.getString("offering_uuid"), rs.getString("offering_name"), rs.getString("provisioning_type"),
                rs.getString("volume_type"), rs.getLong("size"), rs.getString("path"),
                VolumeState.valueOf(rs.getString("state")), Jdbc.instant(rs, "created"),
                rs.getObject("instance_id") == null ? null : new Attachment(rs.getLong("instance_id"),
                        rs.getString("vm_uuid"), rs.getString("vm_name"), rs.getString("vm_display_name"),
                        rs.getString("vm_state"), rs.getLong("device_id")));
    }
}
