package io.rbdstack.server;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * updateZone/Pod/Cluster/Host, their deletes refused with 536 while something depends on them, host
 * maintenance and listManagementServers, against the real DB.
 */
class InfrastructureCrudIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();

    @Test
    void updatesChangeOnlyWhatIsGiven() throws Exception {
        String zone = zone("upd-zone");
        JsonNode updated = ok(cloud.admin().call("updateZone", "id", zone, "name", "upd-zone-2", "dns2", "9.9.9.9",
                "allocationstate", "Disabled"), "updateZone").get("zone");
        assertEquals("upd-zone-2", updated.get("name").asText());
        assertEquals("9.9.9.9", updated.get("dns2").asText());
        assertEquals("8.8.8.8", updated.get("dns1").asText(), "not given, not changed");
        assertEquals("Disabled", updated.get("allocationstate").asText());
        zone("taken-zone");
        assertEquals(431, cloud.admin().call("updateZone", "id", zone, "name", "taken-zone").status());

        String pod = pod(zone, "upd-pod");
        JsonNode newPod = ok(cloud.admin().call("updatePod", "id", pod, "name", "upd-pod-2", "netmask", "255.255.0.0",
                "startip", "10.1.0.5", "endip", "10.1.0.50"), "updatePod").get("pod");
        assertEquals("upd-pod-2", newPod.get("name").asText());
        assertEquals("255.255.0.0", newPod.get("netmask").asText());
        assertEquals("10.1.0.50", newPod.get("endip").get(0).asText());
        ApiClient.Reply backwards = cloud.admin().call("updatePod", "id", pod, "endip", "10.1.0.1");
        assertEquals(431, backwards.status());
        assertTrue(backwards.response("updatePod").get("errortext").asText().contains("before startip"));

        String cluster = cluster(zone, pod, "upd-cluster");
        JsonNode newCluster = ok(cloud.admin().call("updateCluster", "id", cluster, "clustername", "upd-cluster-2",
                "allocationstate", "Disabled", "managedstate", "Unmanaged"), "updateCluster").get("cluster");
        assertEquals("upd-cluster-2", newCluster.get("name").asText());
        assertEquals("Disabled", newCluster.get("allocationstate").asText());
        assertEquals("Unmanaged", newCluster.get("managedstate").asText());
        assertEquals(431, cloud.admin().call("updateCluster", "id", cluster, "hypervisor", "XenServer").status());
    }

    @Test
    void deletesAreRefusedNamingWhatDependsAndSucceedBottomUp() throws Exception {
        String zone = zone("del-zone");
        String pod = pod(zone, "del-pod");
        String cluster = cluster(zone, pod, "del-cluster");
        String host = host(zone, pod, cluster, "http://del-host");

        assertInUse(cloud.admin().call("deleteZone", "id", zone), "deleteZone",
                "Cannot delete zone del-zone: it still has 1 pod(s) (del-pod); delete or move them first");
        assertInUse(cloud.admin().call("deletePod", "id", pod), "deletePod",
                "Cannot delete pod del-pod: it still has 1 cluster(s) (del-cluster) and 1 host(s) (del-host)");
        assertInUse(cloud.admin().call("deleteCluster", "id", cluster), "deleteCluster",
                "Cannot delete cluster del-cluster: it still has 1 host(s) (del-host)");
        // deleteHost is another change's; the host row goes the way it would.
        cloud.execute("UPDATE host SET removed = UTC_TIMESTAMP() WHERE uuid = '" + host + "'");

        ok(cloud.admin().call("deleteCluster", "id", cluster), "deleteCluster");
        ok(cloud.admin().call("deletePod", "id", pod), "deletePod");
        stagePoolAndStore(zone);
        assertInUse(cloud.admin().call("deleteZone", "id", zone), "deleteZone", "1 primary storage pool(s) (staged-pool)"
                + " and 1 image store(s) (staged-store)");
        cloud.execute("UPDATE storage_pool SET removed = UTC_TIMESTAMP() WHERE name = 'staged-pool'");
        cloud.execute("UPDATE image_store SET removed = UTC_TIMESTAMP() WHERE name = 'staged-store'");
        ok(cloud.admin().call("deleteZone", "id", zone), "deleteZone");

        assertEquals(0, cloud.admin().call("listZones", "id", zone).response("listZones").size(),
                "a deleted zone is no longer listed");
        assertEquals(0, cloud.admin().call("listClusters", "id", cluster).response("listClusters").size());
        zone("del-zone");
    }

    @Test
    void aPodWaitingForADeletingZonesLockIsNotCreatedInIt() throws Exception {
        String zone = zone("race-zone");
        try (Connection c = cloud.db().connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement("SELECT id FROM data_center WHERE uuid = ? FOR UPDATE")) {
                lock.setString(1, zone);
                lock.executeQuery().close();
            }
            CompletableFuture<ApiClient.Reply> create = CompletableFuture.supplyAsync(() -> {
                try {
                    return cloud.admin().call("createPod", "name", "late-pod", "zoneid", zone, "gateway", "10.9.0.1",
                            "netmask", "255.255.255.0");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitStatementWaiting(c, "INSERT INTO host_pod_ref");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE data_center SET removed = UTC_TIMESTAMP() WHERE uuid = '" + zone + "'");
            }
            c.commit();
            ApiClient.Reply reply = create.get();
            assertEquals(431, reply.status(), reply.body());
            assertEquals("The zone was deleted meanwhile (parameter zoneid)",
                    reply.response("createPod").get("errortext").asText());
        }
        assertEquals(0, cloud.count("SELECT COUNT(*) FROM host_pod_ref WHERE name = 'late-pod'"));
    }

    @Test
    void hostTagsNameAndAllocationState() throws Exception {
        String zone = zone("host-zone");
        String pod = pod(zone, "host-pod");
        String cluster = cluster(zone, pod, "host-cluster");
        String host = host(zone, pod, cluster, "http://kvm-a");
        host(zone, pod, cluster, "http://kvm-b");
        JsonNode updated = ok(cloud.admin().call("updateHost", "id", host, "hosttags", "ssd,fast,ssd",
                "allocationstate", "Disable", "name", "kvm-a2"), "updateHost").get("host");
        assertEquals("fast,ssd", updated.get("hosttags").asText());
        assertEquals("Disabled", updated.get("resourcestate").asText());
        assertEquals("kvm-a2", updated.get("name").asText());
        assertEquals(431, cloud.admin().call("updateHost", "id", host, "name", "kvm-b").status(),
                "two hosts of a cluster cannot share a name");
        assertEquals("Enabled", ok(cloud.admin().call("updateHost", "id", host, "allocationstate", "Enable"),
                "updateHost").get("host").get("resourcestate").asText());
        assertEquals("fast,ssd", list("listHosts", "host", "id", host).get("hosttags").asText());
    }

    @Test
    void maintenanceTakesTheHostOutOfServiceUntilCancelled() throws Exception {
        String zone = zone("mnt-zone");
        String pod = pod(zone, "mnt-pod");
        String cluster = cluster(zone, pod, "mnt-cluster");
        String host = host(zone, pod, cluster, "http://kvm-m");

        JsonNode job = cloud.admin().awaitJob(ok(cloud.admin().call("prepareHostForMaintenance", "id", host),
                "prepareHostForMaintenance").get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        assertEquals("Maintenance", job.get("jobresult").get("host").get("resourcestate").asText(),
                "a host with no agent commands running is in maintenance at once");
        assertEquals(431, cloud.admin().call("prepareHostForMaintenance", "id", host).status());
        ApiClient.Reply enable = cloud.admin().call("updateHost", "id", host, "allocationstate", "Enable");
        assertEquals(431, enable.status());
        assertTrue(enable.response("updateHost").get("errortext").asText().contains("cancelHostMaintenance"));

        JsonNode cancelled = cloud.admin().awaitJob(ok(cloud.admin().call("cancelHostMaintenance", "id", host),
                "cancelHostMaintenance").get("jobid").asText());
        assertEquals("Enabled", cancelled.get("jobresult").get("host").get("resourcestate").asText());
        assertEquals(431, cloud.admin().call("cancelHostMaintenance", "id", host).status(),
                "nothing to cancel any more");
    }

    @Test
    void listManagementServersShowsThisServerUp() throws Exception {
        JsonNode servers = ok(cloud.admin().call("listManagementServers"), "listManagementServers");
        JsonNode self = null;
        for (JsonNode server : servers.get("managementserver")) {
            if (server.get("state").asText().equals("Up")) {
                self = server;
            }
        }
        assertTrue(self != null, servers.toString());
        assertEquals(io.rbdstack.server.api.ApiVersion.RBDSTACK_VERSION, self.get("version").asText());
        assertEquals("127.0.0.1", self.get("serviceip").asText());
        assertTrue(self.get("lastserverstart").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*"));
        assertFalse(self.has("lastserverstop"));
        assertEquals(1, ok(cloud.admin().call("listManagementServers", "id", self.get("id").asText()),
                "listManagementServers").get("count").asInt());
        ApiClient user = userClient("mgmt-user");
        assertEquals(432, user.call("listManagementServers").status(), "an admin command");
    }

    private static ApiClient userClient(String name) throws Exception {
        ok(cloud.admin().call("createAccount", "username", name, "password", "pw-" + name, "email", name + "@x.org",
                "firstname", "F", "lastname", "L"), "createAccount");
        return ApiClient.login(cloud.baseUrl(), name, "pw-" + name);
    }

    private static void awaitStatementWaiting(Connection c, String statementStart) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            // Without the PROCESS privilege this lists the threads of our own DB user, the server's among them.
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM information_schema.PROCESSLIST"
                    + " WHERE DB = ? AND INFO LIKE ?")) {
                ps.setString(1, cloud.db().schema);
                ps.setString(2, statementStart + "%");
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no statement " + statementStart + " ever waited");
    }

    private static void stagePoolAndStore(String zone) throws Exception {
        cloud.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                + " host_address, path, status, created) SELECT '" + UUID.randomUUID() + "', 'staged-pool', 'RBD',"
                + " 'ZONE', id, 'RBD', 'mon', 'rbd', 'Up', UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
        cloud.execute("INSERT INTO image_store (uuid, name, protocol, url, data_center_id, image_provider_name, created)"
                + " SELECT '" + UUID.randomUUID() + "', 'staged-store', 'file', 'file:///x', id, 'SharedMountPoint',"
                + " UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
    }

    @Test
    void poolsOfADisabledZonePodOrClusterTakeNoNewVolumes() throws Exception {
        String zone = zone("dis-zone");
        String pod = pod(zone, "dis-pod");
        String cluster = cluster(zone, pod, "dis-cluster");
        // A cluster-wide pool with room, straight in the schema: placement reads only these rows.
        try (Connection c = cloud.db().connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO storage_pool"
                + " (uuid, name, pool_type, scope, data_center_id, pod_id, cluster_id, storage_provider_name,"
                + " host_address, path, status, capacity_bytes, used_bytes, created) SELECT UUID(), 'dis-pool', 'RBD',"
                + " 'CLUSTER', c.data_center_id, c.pod_id, c.id, 'RBD', 'mon', 'rbd', 'Up', 107374182400, 0,"
                + " UTC_TIMESTAMP() FROM cluster c WHERE c.uuid = ?")) {
            ps.setString(1, cluster);
            assertEquals(1, ps.executeUpdate());
        }
        ApiClient.Reply placed = cloud.admin().call("createVolume", "name", "placed", "zoneid", zone, "size", "1");
        assertEquals(200, placed.status(), "an enabled cluster's pool takes it: " + placed.body());

        for (String[] scope : new String[][] {{"updateCluster", cluster, "cluster dis-cluster"},
                {"updatePod", pod, "pod dis-pod"}, {"updateZone", zone, "zone dis-zone"}}) {
            ok(cloud.admin().call(scope[0], "id", scope[1], "allocationstate", "Disabled"), scope[0]);
            ApiClient.Reply refused = cloud.admin().call("createVolume", "name", "refused", "zoneid", zone, "size",
                    "1");
            assertEquals(533, refused.status(), refused.body());
            assertEquals("No Up primary storage pool in zone dis-zone can take a volume of 1 GB (1073741824 bytes):"
                    + " none takes new volumes (pool dis-pool is in Disabled " + scope[2] + ")",
                    refused.response("createVolume").get("errortext").asText());
            ok(cloud.admin().call(scope[0], "id", scope[1], "allocationstate", "Enabled"), scope[0]);
        }
        assertEquals(0, cloud.admin().call("listVolumes", "listall", "true", "name", "refused")
                .response("listVolumes").path("count").asInt(0), "a refused volume is not saved");
    }

    private static void assertInUse(ApiClient.Reply reply, String command, String text) {
        assertEquals(536, reply.status(), reply.body());
        JsonNode error = reply.response(command);
        assertEquals(4375, error.get("cserrorcode").asInt());
        assertTrue(error.get("errortext").asText().contains(text), error.get("errortext").asText());
    }

    private static JsonNode list(String command, String item, String... params) throws Exception {
        return ok(cloud.admin().call(command, params), command).get(item).get(0);
    }

    private static String zone(String name) throws Exception {
        return ok(cloud.admin().call("createZone", "name", name, "dns1", "8.8.8.8", "internaldns1", "10.0.0.2",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
    }

    private static String pod(String zone, String name) throws Exception {
        return ok(cloud.admin().call("createPod", "name", name, "zoneid", zone, "gateway", "10.1.0.1", "netmask",
                "255.255.255.0"), "createPod").get("pod").get("id").asText();
    }

    private static String cluster(String zone, String pod, String name) throws Exception {
        return ok(cloud.admin().call("addCluster", "clustername", name, "clustertype", "CloudManaged", "hypervisor",
                "KVM", "zoneid", zone, "podid", pod), "addCluster").get("cluster").get(0).get("id").asText();
    }

    private static String host(String zone, String pod, String cluster, String url) throws Exception {
        return ok(cloud.admin().call("addHost", "zoneid", zone, "podid", pod, "clusterid", cluster, "url", url,
                "hypervisor", "KVM"), "addHost").get("host").get(0).get("id").asText();
    }
}
