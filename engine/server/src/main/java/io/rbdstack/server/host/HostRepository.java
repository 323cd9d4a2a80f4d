package io.rbdstack.server.host;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.FilterArgs;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.spi.agent.HostInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** KVM hosts. The agent's credential is stored only as its SHA-256. */
public final class HostRepository {

    /** A host as addHost and listHosts show it. */
    public record HostView(String id, String name, String state, String resourcestate, String type,
                           String hypervisor, String hypervisorversion, String zoneid, String zonename, String podid,
                           String podname, String clusterid, String clustername, Integer cpunumber, Long cpuspeed,
                           Long memorytotal, String version, String created, String lastpinged, String disconnected,
                           String statereason, Map<String, String> details, String hosttags) {
    }

    private static final String SELECT = "SELECT h.uuid, h.name, h.status, h.resource_state, h.type, h.hypervisor_type,"
            + " h.hypervisor_version, h.cpus, h.speed, h.total_memory, h.libvirt_version, h.qemu_version,"
            + " h.rbd_storage_backend, h.agent_version, h.created, h.last_ping, h.status_reason,"
            + " (SELECT GROUP_CONCAT(t.tag ORDER BY t.tag SEPARATOR ',') FROM host_tags t WHERE t.host_id = h.id)"
            + " AS host_tags,"
            + " z.uuid AS zone_uuid, z.name AS zone_name, p.uuid AS pod_uuid, p.name AS pod_name,"
            + " c.uuid AS cluster_uuid, c.name AS cluster_name FROM host h JOIN data_center z ON z.id = h.data_center_id"
            + " JOIN host_pod_ref p ON p.id = h.pod_id JOIN cluster c ON c.id = h.cluster_id WHERE h.removed IS NULL";
    private static final String FILTER = " AND (? IS NULL OR h.uuid = ?) AND (? IS NULL OR z.uuid = ?)"
            + " AND (? IS NULL OR c.uuid = ?) AND (? IS NULL OR h.status = ?) AND (? IS NULL OR h.name LIKE ?)";

    private final Jdbc jdbc;

    public HostRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates the host if its cluster is still live (a cluster being deleted holds its row lock until it is removed). */
    public String create(String name, String url, long zoneId, long podId, long clusterId, String tokenHash) {
        String uuid = UUID.randomUUID().toString();
        int created = jdbc.update("INSERT INTO host (uuid, name, status, data_center_id, pod_id, cluster_id,"
                        + " hypervisor_type, url, agent_token_hash, created) SELECT ?, ?, 'Connecting', data_center_id,"
                        + " pod_id, id, 'KVM', ?, ?, ? FROM cluster WHERE id = ? AND pod_id = ? AND data_center_id = ?"
                        + " AND removed IS NULL", uuid, name, url, tokenHash, Instant.now(), clusterId, podId, zoneId);
        if (created == 0) {
            throw ApiException.invalidParameter("The cluster was deleted meanwhile (parameter clusterid)");
        }
        return uuid;
    }

    /** Whether another live host of the same cluster as {@code hostUuid} is named {@code name}. */
    public boolean nameTakenBesides(String hostUuid, String name) {
        return jdbc.queryLong("SELECT COUNT(*) FROM host h JOIN host o ON o.cluster_id = h.cluster_id AND o.id <> h.id"
                + " WHERE h.uuid = ? AND o.name = ? AND o.removed IS NULL", hostUuid, name) > 0;
    }

    /** What updateHost changes; an absent field is left as it is. */
    public record HostUpdate(Optional<String> name, Optional<List<String>> tags) {
    }

    /** Applies the whole update in one transaction. */
    public void update(String uuid, HostUpdate update) {
        jdbc.transaction(() -> {
            long id = jdbc.queryLong("SELECT id FROM host WHERE uuid = ?", uuid);
            new ColumnUpdates().set("name", update.name()).apply(jdbc, "host", id);
            update.tags().ifPresent(tags -> {
                jdbc.update("DELETE FROM host_tags WHERE host_id = ?", id);
                for (String tag : tags) {
                    jdbc.insert("INSERT INTO host_tags (host_id, tag) VALUES (?, ?)", id, tag);
                }
            });
        });
    }

    /**
     * Moves the host's resource state from {@code from} to {@code to} if it is still {@code from};
     * false when another change got there first.
     */
    public boolean moveResourceState(String uuid, HostResourceState from, HostResourceState to) {
        if (!from.canMoveTo(to)) {
            throw new IllegalStateException("Illegal host resource state transition " + from + " -> " + to);
        }
        return jdbc.update("UPDATE host SET resource_state = ? WHERE uuid = ? AND resource_state = ? AND removed IS NULL",
                to, uuid, from) == 1;
    }

    public Optional<HostResourceState> resourceState(String uuid) {
        return jdbc.queryOne("SELECT resource_state FROM host WHERE uuid = ? AND removed IS NULL",
                rs -> HostResourceState.valueOf(rs.getString(1)), uuid);
    }

    public boolean nameTaken(long clusterId, String name) {
        return jdbc.queryLong("SELECT COUNT(*) FROM host WHERE cluster_id = ? AND name = ? AND removed IS NULL",
                clusterId, name) > 0;
    }

    /** What spending a one-time credential came to. */
    public sealed interface TokenSpend {
        /** The credential was unspent; now it is, for this host. */
        record Spent(String hostUuid) implements TokenSpend {
        }

        /** The credential was spent before (a second bootstrap with it, or a thief's). */
        record AlreadySpent(String hostUuid) implements TokenSpend {
        }

        /** No live host has this credential. */
        record Unknown() implements TokenSpend {
        }
    }

    /**
     * Spends the host's credential for its first certificate. One conditional update, so of two
     * agents racing with one credential exactly one gets it.
     */
    public TokenSpend spendToken(String tokenHash) {
        Optional<String> uuid = uuidByTokenHash(tokenHash);
        if (uuid.isEmpty()) {
            return new TokenSpend.Unknown();
        }
        int spent = jdbc.update("UPDATE host SET agent_token_spent = ? WHERE uuid = ? AND agent_token_spent IS NULL"
                + " AND removed IS NULL", Instant.now(), uuid.get());
        return spent == 1 ? new TokenSpend.Spent(uuid.get()) : new TokenSpend.AlreadySpent(uuid.get());
    }

    /** Marks the host removed and forgets which storage pools it had defined. */
    public void remove(String uuid) {
        jdbc.update("DELETE FROM storage_pool_host_ref WHERE host_id = (SELECT id FROM host WHERE uuid = ?)", uuid);
        jdbc.update("UPDATE host SET removed = ?, status = 'Disconnected', status_reason = 'Deleted' WHERE uuid = ?",
                Instant.now(), uuid);
    }

    /** Virtual machines placed on the host (none can exist yet, but the schema allows them). */
    public long vmsOn(String uuid) {
        return jdbc.queryLong("SELECT COUNT(*) FROM vm_instance v JOIN host h ON h.id = v.host_id"
                + " WHERE h.uuid = ? AND v.removed IS NULL", uuid);
    }

    /** Names of the live storage pools for which the host is the only Up host that has them defined. */
    public List<String> poolsOnlyServedBy(String uuid) {
        return jdbc.query("SELECT p.name FROM storage_pool p JOIN storage_pool_host_ref r ON r.pool_id = p.id"
                + " JOIN host h ON h.id = r.host_id WHERE h.uuid = ? AND p.removed IS NULL AND NOT EXISTS"
                + " (SELECT 1 FROM storage_pool_host_ref o JOIN host oh ON oh.id = o.host_id WHERE o.pool_id = p.id"
                + " AND oh.uuid <> ? AND oh.status = 'Up' AND oh.removed IS NULL) ORDER BY p.name",
                rs -> rs.getString(1), uuid, uuid);
    }

    /** The host of a credential not spent on a certificate: only such a one still works over plain TCP. */
    public Optional<String> uuidByUnspentToken(String tokenHash) {
        return jdbc.queryOne("SELECT uuid FROM host WHERE agent_token_hash = ? AND agent_token_spent IS NULL"
                + " AND removed IS NULL", rs -> rs.getString(1), tokenHash);
    }

    public Optional<String> uuidByTokenHash(String tokenHash) {
        return jdbc.queryOne("SELECT uuid FROM host WHERE agent_token_hash = ? AND removed IS NULL",
                rs -> rs.getString(1), tokenHash);
    }

    public void connected(String uuid, String agentVersion, HostInfo info, long msid) {
        Instant now = Instant.now();
        jdbc.update("UPDATE host SET status = 'Up', status_reason = NULL, agent_version = ?, cpus = ?, speed = ?,"
                        + " total_memory = ?, libvirt_version = ?, qemu_version = ?, hypervisor_version = ?,"
                        + " rbd_storage_backend = ?, mgmt_server_msid = ?, last_ping = ? WHERE uuid = ?", agentVersion,
                info.cpuCount(), info.cpuSpeedMhz(), info.memoryBytes(), info.libvirtVersion(), info.qemuVersion(),
                info.qemuVersion(), info.rbdStorageBackend(), msid, now, uuid);
    }

    public void hostInfo(String uuid, HostInfo info) {
        jdbc.update("UPDATE host SET cpus = ?, speed = ?, total_memory = ?, libvirt_version = ?, qemu_version = ?,"
                        + " hypervisor_version = ?, rbd_storage_backend = ? WHERE uuid = ?", info.cpuCount(),
                info.cpuSpeedMhz(), info.memoryBytes(), info.libvirtVersion(), info.qemuVersion(), info.qemuVersion(),
                info.rbdStorageBackend(), uuid);
    }

    public void status(String uuid, HostStatus status, String reason) {
        jdbc.update("UPDATE host SET status = ?, status_reason = ? WHERE uuid = ?", status, reason, uuid);
    }

    public void pinged(String uuid) {
        jdbc.update("UPDATE host SET last_ping = ?, status = 'Up', status_reason = NULL WHERE uuid = ?", Instant.now(), uuid);
    }

    /** Hosts marked connected to a management server process that is no longer Up. */
    public int disconnectOrphans(String reason) {
        return jdbc.update("UPDATE host SET status = 'Disconnected', status_reason = ? WHERE status IN ('Up', 'Alert')"
                + " AND (mgmt_server_msid IS NULL OR mgmt_server_msid NOT IN (SELECT msid FROM mshost WHERE state = 'Up'))",
                reason);
    }

    /** Uuids of the Up hosts of a zone, or of one cluster of it. */
    public List<String> upHostsIn(String zoneUuid, Optional<String> clusterUuid) {
        return jdbc.query("SELECT h.uuid FROM host h JOIN data_center z ON z.id = h.data_center_id"
                        + " JOIN cluster c ON c.id = h.cluster_id WHERE h.removed IS NULL AND h.status = 'Up'"
                        + " AND h.resource_state = 'Enabled' AND z.uuid = ? AND (? IS NULL OR c.uuid = ?) ORDER BY h.id",
                rs -> rs.getString(1), zoneUuid, clusterUuid.orElse(null), clusterUuid.orElse(null));
    }

    /** Zone and cluster uuids of a host. */
    public Optional<String[]> zoneAndCluster(String hostUuid) {
        return jdbc.queryOne("SELECT z.uuid, c.uuid FROM host h JOIN data_center z ON z.id = h.data_center_id"
                + " JOIN cluster c ON c.id = h.cluster_id WHERE h.uuid = ?", rs -> new String[] {rs.getString(1),
                rs.getString(2)}, hostUuid);
    }

    public Optional<HostView> find(String uuid) {
        return list(HostFilter.byId(uuid), "").stream().findFirst();
    }

    public List<HostView> list(HostFilter f, String limit) {
        return jdbc.query(SELECT + FILTER + " ORDER BY h.id" + limit, HostRepository::view, f.args());
    }

    public long count(HostFilter f) {
        return jdbc.queryLong("SELECT COUNT(*) FROM host h JOIN data_center z ON z.id = h.data_center_id"
                + " JOIN cluster c ON c.id = h.cluster_id WHERE h.removed IS NULL" + FILTER, f.args());
    }

    /** listHosts filters. */
    public record HostFilter(Optional<String> uuid, Optional<String> zoneUuid, Optional<String> clusterUuid,
                             Optional<String> state, Optional<String> keyword) {
        public static HostFilter byId(String uuid) {
            return new HostFilter(Optional.of(uuid), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        Object[] args() {
            return FilterArgs.of(uuid, zoneUuid, clusterUuid, state, FilterArgs.like(keyword));
        }
    }

    private static HostView view(ResultSet rs) throws SQLException {
        Map<String, String> details = new LinkedHashMap<>();
        putIfSet(details, "libvirt.version", rs.getString("libvirt_version"));
        putIfSet(details, "qemu.version", rs.getString("qemu_version"));
        Object rbd = rs.getObject("rbd_storage_backend");
        if (rbd != null) {
            details.put("libvirt.rbd.storage.backend", String.valueOf(rs.getBoolean("rbd_storage_backend")));
        }
        String status = rs.getString("status");
        return new HostView(rs.getString("uuid"), rs.getString("name"), status, rs.getString("resource_state"),
                rs.getString("type"), rs.getString("hypervisor_type"), rs.getString("hypervisor_version"),
                rs.getString("zone_uuid"), rs.getString("zone_name"), rs.getString("pod_uuid"), rs.getString("pod_name"),
                rs.getString("cluster_uuid"), rs.getString("cluster_name"), (Integer) rs.getObject("cpus", Integer.class),
                (Long) rs.getObject("speed", Long.class), (Long) rs.getObject("total_memory", Long.class),
                rs.getString("agent_version"), ApiJson.date(Jdbc.instant(rs, "created")),
                ApiJson.date(Jdbc.instant(rs, "last_ping")), null, rs.getString("status_reason"),
                details.isEmpty() ? null : details, rs.getString("host_tags"));
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
