package io.rbdstack.server.vm;

import io.rbdstack.server.db.Jdbc;
import java.util.ArrayList;
import java.util.List;

/** The hosts of a zone as the host chooser sees them, read with their rows locked. */
final class VmHosts {

    /** The candidates, and the zone's other hosts with why they cannot take the VM. */
    record Survey(List<HostChooser.Candidate> candidates, List<HostChooser.Unusable> unusable) {
    }

    /** A host by its ids and name. */
    record HostRef(long id, String uuid, String name) {
    }

    private final Jdbc jdbc;

    VmHosts(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The hosts whose agents are connected (Up): the ones that can report their VMs. */
    List<HostRef> up() {
        return jdbc.query("SELECT id, uuid, name FROM host WHERE status = 'Up' AND removed IS NULL ORDER BY id",
                rs -> new HostRef(rs.getLong(1), rs.getString(2), rs.getString(3)));
    }

    java.util.Optional<HostRef> find(String uuid) {
        return jdbc.queryOne("SELECT id, uuid, name FROM host WHERE uuid = ? AND removed IS NULL",
                rs -> new HostRef(rs.getLong(1), rs.getString(2), rs.getString(3)), uuid);
    }

    /**
     * Locks the zone's host rows ({@code FOR UPDATE}, in id order, so two starts take turns) and reads
     * each with what its VMs take. Only Up, Enabled hosts in an Enabled cluster, pod and zone that have
     * the root volume's pool attached, whose agents are not {@code stopping}, are candidates; {@code onlyHost}
     * narrows them to one (hostid=).
     * Must run inside the transaction that records the choice.
     */
    /** The host tags the VM's service offering asks for (a host must carry them all). */
    java.util.Set<String> offeringHostTags(Long offeringId) {
        if (offeringId == null) {
            return java.util.Set.of();
        }
        String text = jdbc.queryOne("SELECT COALESCE(host_tag, '') FROM service_offering WHERE id = ?",
                rs -> rs.getString(1), offeringId).orElse(null);
        return text == null || text.isBlank() ? java.util.Set.of() : java.util.Arrays.stream(text.split(","))
                .map(String::trim).filter(t -> !t.isEmpty()).collect(java.util.stream.Collectors.toSet());
    }

    Survey lockAndSurvey(long zoneId, long rootPoolId, Long onlyHost, java.util.Set<String> hostTags,
                         java.util.function.Predicate<String> stopping) {
        List<HostChooser.Candidate> candidates = new ArrayList<>();
        List<HostChooser.Unusable> unusable = new ArrayList<>();
        jdbc.query("SELECT h.id, h.uuid, h.name, h.status, h.resource_state, h.total_memory, h.cpus, h.speed,"
                + " z.allocation_state AS zone_state, p.allocation_state AS pod_state, c.allocation_state AS cluster_state,"
                + " EXISTS (SELECT 1 FROM storage_pool_host_ref r WHERE r.pool_id = ? AND r.host_id = h.id) AS reaches,"
                + " (SELECT GROUP_CONCAT(t.tag) FROM host_tags t WHERE t.host_id = h.id) AS tags,"
                + " (SELECT COALESCE(SUM(v.memory_mb), 0) FROM vm_instance v WHERE v.host_id = h.id AND v.removed IS NULL"
                + " AND v.state IN ('Starting', 'Running', 'Stopping')) AS used_mb,"
                + " (SELECT COALESCE(SUM(v.cpus * v.cpu_speed), 0) FROM vm_instance v WHERE v.host_id = h.id"
                + " AND v.removed IS NULL AND v.state IN ('Starting', 'Running', 'Stopping')) AS used_mhz"
                + " FROM host h JOIN data_center z ON z.id = h.data_center_id JOIN host_pod_ref p ON p.id = h.pod_id"
                + " JOIN cluster c ON c.id = h.cluster_id WHERE h.data_center_id = ? AND h.removed IS NULL"
                + " ORDER BY h.id FOR UPDATE", rs -> {
                    long id = rs.getLong("id");
                    String name = rs.getString("name");
                    String why = null;
                    if (onlyHost != null && id != onlyHost) {
                        return null;
                    } else if (!"Up".equals(rs.getString("status"))) {
                        why = "is " + rs.getString("status");
                    } else if (stopping.test(rs.getString("uuid"))) {
                        why = "is stopping (its agent takes no new commands until it connects again)";
                    } else if (!"Enabled".equals(rs.getString("resource_state"))) {
                        why = "is " + rs.getString("resource_state");
                    } else if ("Disabled".equals(rs.getString("zone_state"))) {
                        why = "is in a Disabled zone";
                    } else if ("Disabled".equals(rs.getString("pod_state"))) {
                        why = "is in a Disabled pod";
                    } else if ("Disabled".equals(rs.getString("cluster_state"))) {
                        why = "is in a Disabled cluster";
                    } else if (!rs.getBoolean("reaches")) {
                        why = "cannot reach the root volume's storage pool";
                    } else if (!tagsOf(rs.getString("tags")).containsAll(hostTags)) {
                        why = "lacks host tag(s) " + String.join(",", new java.util.TreeSet<>(hostTags))
                                + " of the service offering";
                    }
                    if (why != null) {
                        unusable.add(new HostChooser.Unusable(name, why));
                    } else {
                        candidates.add(new HostChooser.Candidate(id, rs.getString("uuid"), name,
                                rs.getLong("total_memory"), rs.getInt("cpus"), rs.getLong("speed"),
                                rs.getLong("used_mb") << 20, rs.getLong("used_mhz")));
                    }
                    return null;
                }, rootPoolId, zoneId);
        return new Survey(candidates, unusable);
    }

    private static java.util.Set<String> tagsOf(String concatenated) {
        return concatenated == null ? java.util.Set.of() : java.util.Set.of(concatenated.split(","));
    }
}
