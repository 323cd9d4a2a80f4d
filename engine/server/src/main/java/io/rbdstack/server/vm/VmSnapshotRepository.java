package io.rbdstack.server.vm;

import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * VM snapshot rows ({@code vm_snapshots}) and the volumes each holds ({@code vm_snapshot_volume}). State
 * moves are optimistic, like the VM's: they name the state and update count they read.
 */
public final class VmSnapshotRepository {

    /** A live VM snapshot with its VM, owner, zone and parent as listVMSnapshot shows them. */
    public record VmSnapshotRow(long id, String uuid, String name, String displayName, String description, long vmId,
                                String vmUuid, String vmName, long accountId, String accountName, long domainId,
                                String domainUuid, String domainName, String zoneUuid, Long poolId,
                                String storageGroup, String storageSnapshot, String type, VmSnapshotState state,
                                long updateCount, boolean current, Long parentId, String parentUuid,
                                String parentName, boolean quiesced, String stateReason, Instant created) {
    }

    /** A volume the snapshot holds, with its size when taken. */
    public record HeldVolume(long volumeId, String volumeUuid, long sizeBytes) {
    }

    /** listVMSnapshot's filters; ids are uuids. */
    public record Filter(ListScope scope, Optional<String> uuid, Optional<String> vmUuid, Optional<String> name,
                         Optional<String> state, Optional<String> keyword) {

        Where where() {
            return Where.of("s.removed IS NULL").and(scope.where("s.account_id", "s.domain_id"))
                    .andIf("s.uuid = ?", uuid).andIf("s.display_name = ?", name).andIf("s.state = ?", state)
                    .andIf("s.vm_id = (SELECT id FROM vm_instance WHERE uuid = ?)", vmUuid)
                    .andContains("s.display_name", keyword);
        }
    }

    private static final String SELECT = "SELECT s.id, s.uuid, s.name, s.display_name, s.description, s.vm_id,"
            + " v.uuid AS vm_uuid, v.name AS vm_name, s.account_id, a.account_name, s.domain_id, d.uuid AS domain_uuid,"
            + " d.name AS domain_name, z.uuid AS zone_uuid, s.pool_id, s.storage_group, s.storage_snapshot, s.type,"
            + " s.state, s.update_count, s.current, s.parent, p.uuid AS parent_uuid, p.display_name AS parent_name,"
            + " s.quiesced, s.state_reason, s.created FROM vm_snapshots s JOIN vm_instance v ON v.id = s.vm_id"
            + " JOIN account a ON a.id = s.account_id JOIN domain d ON d.id = s.domain_id"
            + " JOIN data_center z ON z.id = s.data_center_id LEFT JOIN vm_snapshots p ON p.id = s.parent";

    private final Jdbc jdbc;

    public VmSnapshotRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records a new snapshot Allocated, its parent the VM's current one; its id. */
    long insert(String uuid, String name, String displayName, String description, VmRepository.VmRow vm,
                long poolId, String storageGroup) {
        Long parent = current(vm.id()).map(VmSnapshotRow::id).orElse(null);
        return jdbc.insert("INSERT INTO vm_snapshots (uuid, name, display_name, description, vm_id, account_id,"
                        + " domain_id, data_center_id, pool_id, storage_group, storage_snapshot, type, state, parent,"
                        + " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Disk', 'Allocated', ?, ?)", uuid, name,
                displayName, description, vm.id(), vm.accountId(), vm.domainId(), vm.zoneId(), poolId, storageGroup,
                uuid, parent, Instant.now());
    }

    public Optional<VmSnapshotRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " WHERE s.uuid = ? AND s.removed IS NULL", VmSnapshotRepository::row, uuid);
    }

    /** The VM's live snapshots, oldest first. */
    public List<VmSnapshotRow> ofVm(long vmId) {
        return jdbc.query(SELECT + " WHERE s.vm_id = ? AND s.removed IS NULL ORDER BY s.id", VmSnapshotRepository::row,
                vmId);
    }

    /** How many live snapshots the VM has. */
    public long countOfVm(long vmId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM vm_snapshots WHERE vm_id = ? AND removed IS NULL", vmId);
    }

    Optional<VmSnapshotRow> current(long vmId) {
        return jdbc.queryOne(SELECT + " WHERE s.vm_id = ? AND s.removed IS NULL AND s.current = 1",
                VmSnapshotRepository::row, vmId);
    }

    public List<VmSnapshotRow> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(SELECT + where.sql() + " ORDER BY s.id" + limit, VmSnapshotRepository::row, where.args());
    }

    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM vm_snapshots s" + where.sql(), where.args());
    }

    /** Moves the snapshot from the state and update count it was read with; false when something else moved it. */
    boolean move(VmSnapshotRow snapshot, VmSnapshotState to, String reason) {
        snapshot.state().checkMoveTo(to);
        return jdbc.update("UPDATE vm_snapshots SET state = ?, state_reason = ?, update_count = update_count + 1,"
                + " updated = ? WHERE id = ? AND state = ? AND update_count = ?", to.name(),
                VmRepository.truncate(reason), Instant.now(), snapshot.id(), snapshot.state().name(),
                snapshot.updateCount()) == 1;
    }

    /** Taken: Ready and the VM's current snapshot, with the volumes it holds. */
    void taken(long id, long vmId, boolean quiesced, List<HeldVolume> volumes) {
        jdbc.transaction(() -> {
            for (HeldVolume volume : volumes) {
                jdbc.update("INSERT INTO vm_snapshot_volume (vm_snapshot_id, volume_id, size) VALUES (?, ?, ?)", id,
                        volume.volumeId(), volume.sizeBytes());
            }
            jdbc.update("UPDATE vm_snapshots SET state = 'Ready', quiesced = ?, update_count = update_count + 1,"
                    + " updated = ? WHERE id = ? AND state = 'Creating'", quiesced, Instant.now(), id);
            makeCurrent(id, vmId);
        });
    }

    /** The VM's disks are now at this snapshot: it is the current one, and the parent of the next. */
    void makeCurrent(long id, long vmId) {
        jdbc.update("UPDATE vm_snapshots SET current = (id = ?) WHERE vm_id = ? AND removed IS NULL", id, vmId);
    }

    /** The volumes the snapshot holds, with their sizes then. */
    List<HeldVolume> volumesOf(long id) {
        return jdbc.query("SELECT sv.volume_id, v.uuid, sv.size FROM vm_snapshot_volume sv JOIN volumes v"
                + " ON v.id = sv.volume_id WHERE sv.vm_snapshot_id = ? ORDER BY sv.volume_id", rs -> new HeldVolume(
                rs.getLong(1), rs.getString(2), rs.getLong(3)), id);
    }

    /**
     * Deleted: the row is removed; its children take its parent, and when it was current its parent
     * becomes current (the VM's disks still descend from it).
     */
    void removed(VmSnapshotRow snapshot) {
        jdbc.transaction(() -> {
            jdbc.update("UPDATE vm_snapshots SET parent = ? WHERE parent = ?", snapshot.parentId(), snapshot.id());
            jdbc.update("UPDATE vm_snapshots SET removed = ?, current = 0, update_count = update_count + 1 WHERE id = ?",
                    Instant.now(), snapshot.id());
            if (snapshot.current() && snapshot.parentId() != null) {
                makeCurrent(snapshot.parentId(), snapshot.vmId());
            }
        });
    }

    private static VmSnapshotRow row(ResultSet rs) throws SQLException {
        return new VmSnapshotRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"),
                rs.getString("display_name"), rs.getString("description"), rs.getLong("vm_id"),
                rs.getString("vm_uuid"), rs.getString("vm_name"), rs.getLong("account_id"),
                rs.getString("account_name"), rs.getLong("domain_id"), rs.getString("domain_uuid"),
                rs.getString("domain_name"), rs.getString("zone_uuid"), rs.getObject("pool_id", Long.class),
                rs.getString("storage_group"), rs.getString("storage_snapshot"), rs.getString("type"),
                VmSnapshotState.valueOf(rs.getString("state")), rs.getLong("update_count"), rs.getBoolean("current"),
                rs.getObject("parent", Long.class), rs.getString("parent_uuid"), rs.getString("parent_name"),
                rs.getBoolean("quiesced"), rs.getString("state_reason"), Jdbc.instant(rs, "created"));
    }
}
