package io.rbdstack.server.infra;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.Dependents;
import io.rbdstack.server.db.FilterArgs;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Pods (host_pod_ref rows). */
public final class PodRepository {

    /** A pod as createPod and listPods show it. */
    public record PodView(String id, String name, String zoneid, String zonename, String gateway, String netmask,
                          List<String> startip, List<String> endip, String allocationstate) {
    }

    /** A pod's internal ids, for commands that place things in it. */
    public record PodRef(long id, long zoneId) {
    }

    private static final String SELECT = "SELECT p.uuid, p.name, p.gateway, p.cidr_size, p.start_ip, p.end_ip,"
            + " p.allocation_state, z.uuid AS zone_uuid, z.name AS zone_name FROM host_pod_ref p"
            + " JOIN data_center z ON z.id = p.data_center_id WHERE p.removed IS NULL";
    private static final String FILTER = " AND (? IS NULL OR p.uuid = ?) AND (? IS NULL OR z.uuid = ?)"
            + " AND (? IS NULL OR p.name = ?) AND (? IS NULL OR p.name LIKE ?)";

    private final Jdbc jdbc;

    public PodRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the pod if its zone is still live (a zone being deleted holds its row lock until it is removed). */
    public String create(long zoneId, String name, String gateway, String cidrAddress, int cidrSize, String startIp,
                         String endIp, String allocationState) {
        String uuid = UUID.randomUUID().toString();
        int created = jdbc.update("INSERT INTO host_pod_ref (uuid, name, data_center_id, gateway, cidr_address, cidr_size,"
                        + " start_ip, end_ip, allocation_state, created) SELECT ?, ?, id, ?, ?, ?, ?, ?, ?, ?"
                        + " FROM data_center WHERE id = ? AND removed IS NULL", uuid, name, gateway, cidrAddress, cidrSize,
                startIp, endIp, allocationState, Instant.now(), zoneId);
        if (created == 0) {
            throw ApiException.invalidParameter("The zone was deleted meanwhile (parameter zoneid)");
        }
        return uuid;
    }

    /** What updatePod changes; an absent field is left as it is. */
    public record PodUpdate(Optional<String> name, Optional<String> gateway, Optional<String> cidrAddress,
                            Optional<Integer> cidrSize, Optional<String> startIp, Optional<String> endIp,
                            Optional<String> allocationState) {
    }

    public void update(long id, PodUpdate u) {
        new ColumnUpdates().set("name", u.name()).set("gateway", u.gateway()).set("cidr_address", u.cidrAddress())
                .set("cidr_size", u.cidrSize()).set("start_ip", u.startIp()).set("end_ip", u.endIp())
                .set("allocation_state", u.allocationState()).apply(jdbc, "host_pod_ref", id);
    }

    /** Marks the pod removed, or 536 naming its clusters and hosts when it still has any. */
    public void delete(long id, String name) {
        Dependents.deleteUnlessDepended(jdbc, "host_pod_ref", id, "pod", name, d -> d
                .rows("cluster(s)", "cluster", "name", "pod_id = ?", id)
                .rows("host(s)", "host", "name", "pod_id = ?", id)
                .rows("primary storage pool(s)", "storage_pool", "name", "pod_id = ?", id));
    }

    public Optional<PodView> find(String uuid) {
        return list(new PodFilter(Optional.of(uuid), Optional.empty(), Optional.empty(), Optional.empty()), "")
                .stream().findFirst();
    }

    public boolean nameTaken(long zoneId, String name) {
        return jdbc.queryLong("SELECT COUNT(*) FROM host_pod_ref WHERE data_center_id = ? AND name = ? AND removed IS NULL",
                zoneId, name) > 0;
    }

    public Optional<PodRef> ref(String uuid) {
        return jdbc.queryOne("SELECT id, data_center_id FROM host_pod_ref WHERE uuid = ? AND removed IS NULL",
                rs -> new PodRef(rs.getLong(1), rs.getLong(2)), uuid);
    }

    public List<PodView> list(PodFilter f, String limit) {
        return jdbc.query(SELECT + FILTER + " ORDER BY p.id" + limit, PodRepository::view, f.args());
    }

    public long count(PodFilter f) {
        return jdbc.queryLong("SELECT COUNT(*) FROM host_pod_ref p JOIN data_center z ON z.id = p.data_center_id"
                + " WHERE p.removed IS NULL" + FILTER, f.args());
    }

    /** listPods filters. */
    public record PodFilter(Optional<String> uuid, Optional<String> zoneUuid, Optional<String> name,
                            Optional<String> keyword) {
        Object[] args() {
            return FilterArgs.of(uuid, zoneUuid, name, FilterArgs.like(keyword));
        }
    }

    private static PodView view(ResultSet rs) throws SQLException {
        String start = rs.getString("start_ip");
        String end = rs.getString("end_ip");
        return new PodView(rs.getString("uuid"), rs.getString("name"), rs.getString("zone_uuid"),
                rs.getString("zone_name"), rs.getString("gateway"), Ipv4.netmask(rs.getInt("cidr_size")),
                start == null ? null : List.of(start), end == null ? null : List.of(end),
                rs.getString("allocation_state"));
    }
}
