package io.rbdstack.server;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * listCapacity, listStoragePoolsMetrics and listVolumesMetrics over pools, an image store and volumes with
 * known figures (staged in the DB: the figures are what the storage last reported).
 */
class CapacityIT {

    private static final long GIB = 1L << 30;

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static String zone;
    static String pod;
    static String cluster;
    static String zonePool;
    static String volume;

    @BeforeAll
    static void stage() throws Exception {
        zone = ok(cloud.admin().call("createZone", "name", "cap-zone", "dns1", "8.8.8.8", "internaldns1", "10.0.0.2",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        pod = ok(cloud.admin().call("createPod", "name", "cap-pod", "zoneid", zone, "gateway", "10.1.0.1", "netmask",
                "255.255.255.0"), "createPod").get("pod").get("id").asText();
        cluster = ok(cloud.admin().call("addCluster", "clustername", "cap-cluster", "clustertype", "CloudManaged",
                "hypervisor", "KVM", "zoneid", zone, "podid", pod), "addCluster").get("cluster").get(0).get("id")
                .asText();
        zonePool = UUID.randomUUID().toString();
        cloud.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                + " host_address, path, status, capacity_bytes, used_bytes, created) SELECT '" + zonePool + "',"
                + " 'zone-pool', 'RBD', 'ZONE', id, 'RBD', 'mon', 'rbd', 'Up', " + 100 * GIB + ", " + 10 * GIB + ","
                + " UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
        cloud.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, pod_id, cluster_id,"
                + " storage_provider_name, host_address, path, status, capacity_bytes, used_bytes, created) SELECT"
                + " UUID(), 'cluster-pool', 'RBD', 'CLUSTER', c.data_center_id, c.pod_id, c.id, 'RBD', 'mon', 'rbd',"
                + " 'Up', " + 50 * GIB + ", " + 20 * GIB + ", UTC_TIMESTAMP() FROM cluster c WHERE c.uuid = '"
                + cluster + "'");
        volume = UUID.randomUUID().toString();
        cloud.execute("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type, size,"
                + " state, created) SELECT '" + volume + "', 'big', 1, 1, data_center_id, id, 'DATADISK', " + 30 * GIB
                + ", 'Ready', UTC_TIMESTAMP() FROM storage_pool WHERE uuid = '" + zonePool + "'");
        cloud.execute("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type, size,"
                + " state, created) SELECT UUID(), 'small', 1, 1, data_center_id, id, 'DATADISK', " + 10 * GIB
                + ", 'Ready', UTC_TIMESTAMP() FROM storage_pool WHERE name = 'cluster-pool'");
        cloud.execute("INSERT INTO image_store (uuid, name, protocol, url, data_center_id, image_provider_name, total_size,"
                + " used_bytes, created) SELECT UUID(), 'cap-store', 'file', 'file:///x', id, 'SharedMountPoint', "
                + 200 * GIB + ", " + 50 * GIB + ", UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
    }

    @Test
    void zoneCapacityCountsPrimaryUsedAllocatedAndSecondaryStorage() throws Exception {
        Map<Integer, JsonNode> byType = byType(ok(cloud.admin().call("listCapacity", "zoneid", zone), "listCapacity"));
        assertEquals(3, byType.size(), byType.toString());
        JsonNode used = byType.get(2);
        assertEquals("STORAGE", used.get("name").asText());
        assertEquals(zone, used.get("zoneid").asText());
        assertEquals("cap-zone", used.get("zonename").asText());
        assertEquals(30 * GIB, used.get("capacityused").asLong());
        assertEquals(150 * GIB, used.get("capacitytotal").asLong());
        assertEquals("20", used.get("percentused").asText());
        JsonNode allocated = byType.get(3);
        assertEquals(40 * GIB, allocated.get("capacityused").asLong());
        assertEquals(300 * GIB, allocated.get("capacitytotal").asLong(), "times storage.overprovisioning.factor 2");
        assertEquals("13.33", allocated.get("percentused").asText());
        assertEquals("25", byType.get(6).get("percentused").asText());

        assertEquals(1, ok(cloud.admin().call("listCapacity", "zoneid", zone, "type", "6"), "listCapacity")
                .get("count").asInt());
        JsonNode latest = ok(cloud.admin().call("listCapacity", "zoneid", zone, "fetchlatest", "true", "sortby", "usage"),
                "listCapacity");
        assertEquals(3, latest.get("count").asInt(), "a pool that cannot be read keeps its last figures");
        assertEquals(6, latest.get("capacity").get(0).get("type").asInt(), "25% used comes first");
    }

    @Test
    void podAndClusterCapacityCountTheirClusterScopedPools() throws Exception {
        JsonNode byPod = ok(cloud.admin().call("listCapacity", "podid", pod), "listCapacity");
        assertEquals(2, byPod.get("count").asInt(), byPod.toString());
        JsonNode podUsed = byType(byPod).get(2);
        assertEquals("cap-pod", podUsed.get("podname").asText());
        assertEquals("40", podUsed.get("percentused").asText());
        JsonNode clusterAllocated = byType(ok(cloud.admin().call("listCapacity", "clusterid", cluster),
                "listCapacity")).get(3);
        assertEquals("cap-cluster", clusterAllocated.get("clustername").asText());
        assertEquals(10 * GIB, clusterAllocated.get("capacityused").asLong());
        assertEquals("10", clusterAllocated.get("percentused").asText());
    }

    @Test
    void poolMetricsFlagEachThresholdThePoolIsOver() throws Exception {
        // zone-pool: 10 of 100 GB used (0.10), 30 GB allocated of 100 GB x 2 (0.15).
        assertEquals("false false false false", flags());
        Map<String, String> settings = Map.of("cluster.storage.capacity.notificationthreshold", "0.05",
                "cluster.storage.allocated.capacity.notificationthreshold", "0.14",
                "pool.storage.capacity.disablethreshold", "0.12",
                "pool.storage.allocated.capacity.disablethreshold", "0.14");
        try {
            setAll(settings);
            assertEquals("true false true true", flags(), "usage over 0.05 not 0.12; allocated over 0.14 both");
            setAll(Map.of("pool.storage.capacity.disablethreshold", "0.09",
                    "cluster.storage.allocated.capacity.notificationthreshold", "0.16"));
            assertEquals("true true false true", flags());
        } finally {
            setAll(Map.of("cluster.storage.capacity.notificationthreshold", "0.75",
                    "cluster.storage.allocated.capacity.notificationthreshold", "0.75",
                    "pool.storage.capacity.disablethreshold", "0.85",
                    "pool.storage.allocated.capacity.disablethreshold", "0.85"));
        }
    }

    /** storageusagethreshold, storageusagedisablethreshold, storageallocatedthreshold, storageallocateddisablethreshold. */
    private static String flags() throws Exception {
        JsonNode pool = ok(cloud.admin().call("listStoragePoolsMetrics", "id", zonePool), "listStoragePoolsMetrics")
                .get("storagepool").get(0);
        return String.join(" ", java.util.stream.Stream.of("storageusagethreshold", "storageusagedisablethreshold",
                "storageallocatedthreshold", "storageallocateddisablethreshold")
                .map(f -> pool.has(f) ? pool.get(f).asText() : "missing").toList());
    }

    private static void setAll(Map<String, String> settings) throws Exception {
        for (Map.Entry<String, String> s : settings.entrySet()) {
            ok(cloud.admin().call("updateConfiguration", "name", s.getKey(), "value", s.getValue()),
                    "updateConfiguration");
        }
    }

    @Test
    void metricsListsAddCloudStacksSizeTexts() throws Exception {
        JsonNode pool = ok(cloud.admin().call("listStoragePoolsMetrics", "id", zonePool), "listStoragePoolsMetrics")
                .get("storagepool").get(0);
        assertEquals("zone-pool", pool.get("name").asText(), "a pool's usual fields");
        assertEquals("100.00 GB (x2)", pool.get("disksizetotalgb").asText());
        assertEquals("10.00 GB", pool.get("disksizeusedgb").asText());
        assertEquals("30.00 GB", pool.get("disksizeallocatedgb").asText());
        assertEquals("170.00 GB", pool.get("disksizeunallocatedgb").asText());
        JsonNode listedVolume = ok(cloud.admin().call("listVolumesMetrics", "id", volume), "listVolumesMetrics")
                .get("volume").get(0);
        assertEquals("big", listedVolume.get("name").asText());
        assertEquals("30.00 GiB", listedVolume.get("sizegb").asText());
        assertEquals("Shared (DATADISK)", listedVolume.get("storagetype").asText());
        assertEquals(2, ok(cloud.admin().call("listVolumesMetrics", "listall", "true"), "listVolumesMetrics")
                .get("count").asInt());
        ApiClient user = user();
        assertEquals(432, user.call("listCapacity").status());
        assertEquals(432, user.call("listStoragePoolsMetrics").status());
        assertTrue(ok(user.call("listVolumesMetrics"), "listVolumesMetrics").isEmpty(), "a user sees its own volumes");
    }

    private static ApiClient user() throws Exception {
        ok(cloud.admin().call("createAccount", "username", "cap-user", "password", "pw", "email", "c@x.org",
                "firstname", "C", "lastname", "U"), "createAccount");
        return ApiClient.login(cloud.baseUrl(), "cap-user", "pw");
    }

    private static Map<Integer, JsonNode> byType(JsonNode list) {
        Map<Integer, JsonNode> byType = new HashMap<>();
        list.get("capacity").forEach(c -> byType.put(c.get("type").asInt(), c));
        return byType;
    }
}
