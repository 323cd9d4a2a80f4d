package io.rbdstack.server.infra;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.Dependents;
import io.rbdstack.server.db.FilterArgs;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Clusters. */
public final class ClusterRepository {

    /** A cluster as addCluster and listClusters show it. */
    public record ClusterView(String id, String name, String podid, String podname, String zoneid, String zonename,
                              String hypervisortype, String clustertype, String allocationstate, String managedstate) {
    }

    /** A cluster's internal ids, for commands that place things in it. */
    public record ClusterRef(long id, long podId, long zoneId) {
    }

    private static final String SELECT = "SELECT c.uuid, c.name, c.hypervisor_type, c.cluster_type, c.allocation_state,"
            + " c.managed_state, p.uuid AS pod_uuid, p.name AS pod_name, z.uuid AS zone_uuid, z.name AS zone_name"
            + " FROM cluster c JOIN host_pod_ref p ON p.id = c.pod_id JOIN data_center z ON z.id = c.data_center_id"
            + " WHERE c.removed IS NULL";
    private static final String FILTER = " AND (? IS NULL OR c.uuid = ?) AND (? IS NULL OR z.uuid = ?)"
            + " AND (? IS NULL OR p.uuid = ?) AND (? IS NULL OR c.name = ?) AND (? IS NULL OR c.name LIKE ?)";

    private final Jdbc jdbc;

    public ClusterRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the cluster if its pod is still live (a pod being deleted holds its row lock until it is removed). */
    public String create(long zoneId, long podId, String name, String hypervisor, String clusterType, String allocationState) {
        String uuid = UUID.randomUUID().toString();
        int created = jdbc.update("INSERT INTO cluster (uuid, name, data_center_id, pod_id, hypervisor_type, cluster_type,"
                        + " allocation_state, created) SELECT ?, ?, data_center_id, id, ?, ?, ?, ? FROM host_pod_ref"
                        + " WHERE id = ? AND data_center_id = ? AND removed IS NULL", uuid, name, hypervisor, clusterType,
                allocationState, Instant.now(), podId, zoneId);
        if (created == 0) {
            throw ApiException.invalidParameter("The pod was deleted meanwhile (parameter podid)");
        }
        return uuid;
    }

    /** What updateCluster changes; an absent field is left as it is. */
    public record ClusterUpdate(Optional<String> name, Optional<String> allocationState,
                                Optional<String> managedState) {
    }

    public void update(long id, ClusterUpdate u) {
        new ColumnUpdates().set("name", u.name()).set("allocation_state", u.allocationState())
                .set("managed_state", u.managedState()).apply(jdbc, "cluster", id);
    }

    /** Marks the cluster removed, or 536 naming its hosts and storage pools when it still has any. */
    public void delete(long id, String name) {
        Dependents.deleteUnlessDepended(jdbc, "cluster", id, "cluster", name, d -> d
                .rows("host(s)", "host", "name", "cluster_id = ?", id)
                .rows("primary storage pool(s)", "storage_pool", "name", "cluster_id = ?", id));
    }

    public Optional<ClusterView> find(String uuid) {
        return list(ClusterFilter.byId(uuid), "").stream().findFirst();
    }

    public boolean nameTaken(long podId, String name) {
        return jdbc.queryLong("SELECT COUNT(*) FROM cluster WHERE pod_id = ? AND name = ? AND removed IS NULL", podId, name) > 0;
    }

    public Optional<ClusterRef> ref(String uuid) {
        return jdbc.queryOne("SELECT id, pod_id, data_center_id FROM cluster WHERE uuid = ? AND removed IS NULL",
                rs -> new ClusterRef(rs.getLong(1), rs.getLong(2), rs.getLong(3)), uuid);
    }

    public List<ClusterView> list(ClusterFilter f, String limit) {
        return jdbc.query(SELECT + FILTER + " ORDER BY c.id" + limit, ClusterRepository::view, f.args());
    }

    public long count(ClusterFilter f) {
        return jdbc.queryLong("SELECT COUNT(*) FROM cluster c JOIN host_pod_ref p ON p.id = c.pod_id"
                + " JOIN data_center z ON z.id = c.data_center_id WHERE c.removed IS NULL" + FILTER, f.args());
    }

    /** listClusters filters. */
    public record ClusterFilter(Optional<String> uuid, Optional<String> zoneUuid, Optional<String> podUuid,
                                Optional<String> name, Optional<String> keyword) {
        public static ClusterFilter byId(String uuid) {
            return new ClusterFilter(Optional.of(uuid), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        Object[] args() {
            return FilterArgs.of(uuid, zoneUuid, podUuid, name, FilterArgs.like(keyword));
        }
    }

    private static ClusterView view(ResultSet rs) throws SQLException {
        return new ClusterView(rs.getString("uuid"), rs.getString("name"), rs.getString("pod_uuid"),
                rs.getString("pod_name"), rs.getString("zone_uuid"), rs.getString("zone_name"),
                rs.getString("hypervisor_type"), rs.getString("cluster_type"), rs.getString("allocation_state"),
                rs.getString("managed_state"));
    }
}
