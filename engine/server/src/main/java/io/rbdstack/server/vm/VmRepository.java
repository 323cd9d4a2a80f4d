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
 * VM rows ({@code vm_instance}). Every state move is optimistic: it names the state and update count
 * it read, so of two movers only one wins and the other sees it lost (CloudStack's update_count).
 */
public final class VmRepository {

    /** A live VM with what listVirtualMachines shows of its owner, zone, host, template and offering. */
    public record VmRow(long id, String uuid, String name, String displayName, String instanceName, VmState state,
                        long updateCount, long accountId, String accountUuid, String accountName, long domainId,
                        String domainUuid, String domainName, long zoneId, String zoneUuid, String zoneName,
                        Long hostId, String hostUuid, String hostName, Long lastHostId, int cpus, int speedMhz,
                        int memoryMb, Long offeringId, String offeringUuid, String offeringName, Long templateId,
                        String templateUuid, String templateName, String templateDisplayText, String guestOsUuid,
                        boolean displayVm, boolean haEnabled, String powerState, String stateReason,
                        Instant created) {

        /** The display name, else the host name: how CloudStack names a VM in its messages. */
        public String label() {
            return displayName == null || displayName.isEmpty() ? name : displayName;
        }
    }

    /** What deployVirtualMachine saves before anything else exists. */
    public record NewVm(String uuid, String name, String displayName, long accountId, long domainId, long zoneId,
                        int cpus, int speedMhz, int memoryMb, long offeringId, long templateId, String guestOsUuid,
                        boolean displayVm, boolean haEnabled) {
    }

    /** listVirtualMachines' filters; ids are uuids. */
    public record Filter(ListScope scope, Optional<String> uuid, List<String> uuids, Optional<String> name,
                         Optional<String> state, Optional<String> zoneUuid, Optional<String> templateUuid,
                         Optional<String> offeringUuid, Optional<String> hostUuid, Optional<String> keyword) {

        Where where() {
            Where where = Where.of("v.removed IS NULL").and(scope.where("v.account_id", "v.domain_id"))
                    .andIf("v.uuid = ?", uuid).andIf("v.name = ?", name).andIf("v.state = ?", state)
                    .andIf("v.data_center_id = (SELECT id FROM data_center WHERE uuid = ?)", zoneUuid)
                    .andIf("v.template_id = (SELECT id FROM vm_template WHERE uuid = ?)", templateUuid)
                    .andIf("v.service_offering_id = (SELECT id FROM service_offering WHERE uuid = ?)", offeringUuid)
                    .andIf("v.host_id = (SELECT id FROM host WHERE uuid = ?)", hostUuid)
                    .andContains("v.name", keyword);
            return uuids.isEmpty() ? where : where.andIn("v.uuid", uuids);
        }
    }

    private static final String SELECT = "SELECT v.id, v.uuid, v.name, v.display_name, v.instance_name, v.state,"
            + " v.update_count, v.account_id, a.uuid AS account_uuid, a.account_name, v.domain_id,"
            + " d.uuid AS domain_uuid, d.name AS domain_name, v.data_center_id, z.uuid AS zone_uuid,"
            + " z.name AS zone_name, v.host_id, h.uuid AS host_uuid, h.name AS host_name, v.last_host_id, v.cpus,"
            + " v.cpu_speed, v.memory_mb, v.service_offering_id, o.uuid AS offering_uuid, o.name AS offering_name,"
            + " v.template_id, t.uuid AS template_uuid, t.name AS template_name, t.display_text AS template_text,"
            + " v.guest_os_uuid, v.display_vm, v.ha_enabled, v.power_state, v.state_reason, v.created"
            + " FROM vm_instance v JOIN account a ON a.id = v.account_id JOIN domain d ON d.id = v.domain_id"
            + " JOIN data_center z ON z.id = v.data_center_id LEFT JOIN host h ON h.id = v.host_id"
            + " LEFT JOIN service_offering o ON o.id = v.service_offering_id"
            + " LEFT JOIN vm_template t ON t.id = v.template_id";

    private final Jdbc jdbc;

    public VmRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Saves the VM Stopped, named CloudStack's way (i-&lt;account id&gt;-&lt;vm id&gt;-VM); its id. */
    public long insert(NewVm vm) {
        long id = jdbc.insert("INSERT INTO vm_instance (uuid, name, instance_name, display_name, state, account_id,"
                        + " domain_id, data_center_id, cpus, cpu_speed, memory_mb, service_offering_id, template_id,"
                        + " guest_os_uuid, display_vm, ha_enabled, power_state, created) VALUES (?, ?, ?, ?, 'Stopped',"
                        + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PowerOff', ?)", vm.uuid(), vm.name(), vm.uuid(),
                vm.displayName(), vm.accountId(), vm.domainId(), vm.zoneId(), vm.cpus(), vm.speedMhz(), vm.memoryMb(),
                vm.offeringId(), vm.templateId(), vm.guestOsUuid(), vm.displayVm(), vm.haEnabled(), Instant.now());
        jdbc.update("UPDATE vm_instance SET instance_name = CONCAT('i-', account_id, '-', id, '-VM') WHERE id = ?", id);
        return id;
    }

    public Optional<VmRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " WHERE v.uuid = ? AND v.removed IS NULL", VmRepository::row, uuid);
    }

    public Optional<VmRow> findById(long id) {
        return jdbc.queryOne(SELECT + " WHERE v.id = ? AND v.removed IS NULL", VmRepository::row, id);
    }

    public List<VmRow> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(SELECT + where.sql() + " ORDER BY v.id" + limit, VmRepository::row, where.args());
    }

    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM vm_instance v" + where.sql(), where.args());
    }

    /**
     * Moves the VM from the state and update count it was read with; false when something else moved it
     * meanwhile. {@code reason} is kept as state_reason (null clears it).
     */
    public boolean move(VmRow vm, VmState to, String reason) {
        vm.state().checkMoveTo(to);
        return jdbc.update("UPDATE vm_instance SET state = ?, state_reason = ?, update_count = update_count + 1,"
                + " updated = ? WHERE id = ? AND state = ? AND update_count = ?", to.name(), truncate(reason),
                Instant.now(), vm.id(), vm.state().name(), vm.updateCount()) == 1;
    }

    /** Starting on {@code hostId}: the host's capacity is held from here on. */
    public boolean reserveHost(VmRow vm, long hostId) {
        vm.state().checkMoveTo(VmState.Starting);
        return jdbc.update("UPDATE vm_instance SET state = 'Starting', host_id = ?, state_reason = NULL,"
                + " update_count = update_count + 1, updated = ? WHERE id = ? AND state = ? AND update_count = ?",
                hostId, Instant.now(), vm.id(), vm.state().name(), vm.updateCount()) == 1;
    }

    /** The agent started it: Running and powered on, on its host (which is now its last host too). */
    public void started(long id) {
        jdbc.update("UPDATE vm_instance SET state = 'Running', last_host_id = host_id, power_state = 'PowerOn',"
                + " power_state_update_time = ?, update_count = update_count + 1, updated = ? WHERE id = ?"
                + " AND state = 'Starting'", Instant.now(), Instant.now(), id);
    }

    /**
     * Stopped from {@code from}: no host (the last one kept), powered off, with the reason (why a start
     * failed, or that it stopped out of band); false when it was no longer in {@code from}.
     */
    public boolean stopped(long id, VmState from, long updateCount, String reason) {
        from.checkMoveTo(VmState.Stopped);
        return jdbc.update("UPDATE vm_instance SET state = 'Stopped', last_host_id = COALESCE(host_id, last_host_id),"
                + " host_id = NULL, power_state = 'PowerOff', power_state_update_time = ?, state_reason = ?,"
                + " update_count = update_count + 1, updated = ? WHERE id = ? AND state = ? AND update_count = ?",
                Instant.now(), truncate(reason), Instant.now(), id, from.name(), updateCount) == 1;
    }

    /** Expunged: the row is gone for the API. */
    public void markRemoved(long id) {
        jdbc.update("UPDATE vm_instance SET removed = ?, update_count = update_count + 1 WHERE id = ?",
                Instant.now(), id);
    }

    /** The account's live VMs. */
    public List<VmRow> ofAccount(long accountId) {
        return jdbc.query(SELECT + " WHERE v.account_id = ? AND v.removed IS NULL ORDER BY v.id", VmRepository::row,
                accountId);
    }

    /** The live VMs placed on the host (those that hold it: Starting, Running, Stopping). */
    public List<VmRow> placedOn(long hostId) {
        return jdbc.query(SELECT + " WHERE v.host_id = ? AND v.removed IS NULL AND v.state IN ('Starting',"
                + " 'Running', 'Stopping') ORDER BY v.id", VmRepository::row, hostId);
    }

    /** The host reported the VM's power state. */
    public void powerState(long id, String powerState) {
        jdbc.update("UPDATE vm_instance SET power_state = ?, power_state_update_time = ? WHERE id = ?"
                + " AND power_state <> ?", powerState, Instant.now(), id, powerState);
    }

    /** The VMs on hosts that are not Up: nobody reports on them, so their power state is unknown. */
    public int reportMissingOnDownHosts() {
        return jdbc.update("UPDATE vm_instance v JOIN host h ON h.id = v.host_id SET v.power_state ="
                + " 'PowerReportMissing', v.power_state_update_time = ? WHERE v.removed IS NULL AND h.status <> 'Up'"
                + " AND v.power_state <> 'PowerReportMissing'", Instant.now());
    }

    /** Whether a job of the VM (its uuid as the job's instance) is still running. */
    public boolean jobRunning(String uuid) {
        return jdbc.queryLong("SELECT COUNT(*) FROM async_job WHERE instance_type = 'VirtualMachine'"
                + " AND instance_id = ? AND job_status = 0", uuid) > 0;
    }

    static String truncate(String text) {
        return text == null || text.length() <= 1024 ? text : text.substring(0, 1021) + "...";
    }

    private static VmRow row(ResultSet rs) throws SQLException {
        return new VmRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"), rs.getString("display_name"),
                rs.getString("instance_name"), VmState.valueOf(rs.getString("state")), rs.getLong("update_count"),
                rs.getLong("account_id"), rs.getString("account_uuid"), rs.getString("account_name"),
                rs.getLong("domain_id"), rs.getString("domain_uuid"), rs.getString("domain_name"),
                rs.getLong("data_center_id"), rs.getString("zone_uuid"), rs.getString("zone_name"),
                rs.getObject("host_id", Long.class), rs.getString("host_uuid"), rs.getString("host_name"),
                rs.getObject("last_host_id", Long.class), rs.getInt("cpus"), rs.getInt("cpu_speed"),
                rs.getInt("memory_mb"), rs.getObject("service_offering_id", Long.class),
                rs.getString("offering_uuid"), rs.getString("offering_name"), rs.getObject("template_id", Long.class),
                rs.getString("template_uuid"), rs.getString("template_name"), rs.getString("template_text"),
                rs.getString("guest_os_uuid"), rs.getBoolean("display_vm"), rs.getBoolean("ha_enabled"),
                rs.getString("power_state"), rs.getString("state_reason"), Jdbc.instant(rs, "created"));
    }
}
