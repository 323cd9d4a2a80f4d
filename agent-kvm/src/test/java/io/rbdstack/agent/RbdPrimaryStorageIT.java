package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestServer;
import io.rbdstack.testing.CephKeyring;
import io.rbdstack.testing.LogCapture;
import io.rbdstack.testing.RealServices;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Secret;
import org.libvirt.SecretUsageType;
import org.libvirt.StoragePool;

/**
 * RBD primary storage end to end: the management server with the RBD plugin, a real agent on this
 * host with real libvirtd, and the real Ceph cluster. The cephx keys must never show in logs,
 * process arguments or API answers.
 */
class RbdPrimaryStorageIT {

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static TestServer server;
    static String zoneId;
    static String clusterId;
    static RealServices.Ceph ceph;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        // Before anything starts, so that every log line of the run is checked for keys.
        logs = new LogCapture();
        cloud = OneHostCloud.start(dir);
        server = cloud.server;
        zoneId = cloud.zoneId;
        clusterId = cloud.clusterId;
        ceph = cloud.ceph;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void poolWithTheAdminUserIsDefinedOnTheHostWithCephsCapacity() throws Exception {
        JsonNode pool = createPool("admin-pool", ceph.admin(), "zone");
        assertEquals("Up", pool.get("state").asText());
        assertEquals("RBD", pool.get("type").asText());
        assertEquals("ZONE", pool.get("scope").asText());
        assertTrue(pool.get("disksizetotal").asLong() > 0, pool.toString());
        assertEquals(0, pool.get("disksizeallocated").asLong());
        assertLibvirtPoolActive(pool.get("id").asText());
        assertNoKeyIn(pool.toString());
        delete(pool.get("id").asText());
        assertLibvirtPoolGone(pool.get("id").asText());
    }

    @Test
    void anAgentRestartOnAHostThatLostItsDefinitionsEndsWithThePoolDefinedAgain() throws Exception {
        JsonNode pool = createPool("restart-pool", ceph.admin(), "zone");
        String poolId = pool.get("id").asText();
        assertLibvirtPoolActive(poolId);
        cloud.stopAgent();
        // Meanwhile the host loses its libvirt pool and secret (reinstalled, or cleaned by hand).
        undefineInLibvirt(poolId);
        assertLibvirtPoolGone(poolId);
        cloud.startAgent();
        Deadline.await("pool " + poolId + " defined again", Duration.ofSeconds(30), () -> {
            try {
                assertLibvirtPoolActive(poolId);
                return true;
            } catch (Exception | AssertionError notYet) {
                return false;
            }
        });
        delete(poolId);
    }

    @Test
    void aHostThatJoinsLaterGetsTheZonesPoolAndSecretDefinedAndIsRecordedAsAttached() throws Exception {
        String poolId = createPool("late-host-pool", ceph.admin(), "zone").get("id").asText();
        try {
            // Both agents share this machine's libvirtd: take away what host 1 defined, so that only a
            // definition by the joining host brings it back (host 1's agent defines again only when
            // libvirtd or the server reconnects it, which does not happen here).
            undefineInLibvirt(poolId);
            assertLibvirtPoolGone(poolId);
            try (OneHostCloud.JoinedHost kvm2 = cloud.addHost("kvm2", dir.resolve("kvm2"))) {
                // Recorded after the agent defined the pool, so once it shows, libvirt must have it.
                Deadline.await("pool " + poolId + " recorded as attached to host " + kvm2.hostId, Duration.ofSeconds(30),
                        () -> attachedHostIds(poolId).contains(kvm2.hostId));
                assertEquals(Set.of(cloud.hostId, kvm2.hostId), attachedHostIds(poolId));
                assertLibvirtPoolActive(poolId);
                assertCephSecretOfPoolDefined(poolId);
            }
        } finally {
            // kvm2 is Disconnected by now: host 1 removes the pool and secret from the shared libvirtd.
            delete(poolId);
        }
    }

    @Test
    void updateRefreshesCapacityAndMaintenanceComesAndGoes() throws Exception {
        String poolId = createPool("update-pool", ceph.admin(), "zone").get("id").asText();
        JsonNode updated = OneHostCloud.ok(server.admin.call("updateStoragePool", "id", poolId, "name", "renamed-pool",
                "tags", "gold", "capacitybytes", String.valueOf(1L << 30)), "updateStoragePool").get("storagepool");
        assertEquals("renamed-pool", updated.get("name").asText());
        assertEquals("gold", updated.get("tags").asText());
        assertEquals(1L << 30, updated.get("disksizetotal").asLong(), "capped by capacitybytes");

        JsonNode job = server.admin.awaitJob(OneHostCloud.ok(server.admin.call("enableStorageMaintenance", "id", poolId),
                "enableStorageMaintenance").get("jobid").asText());
        assertEquals("Maintenance", job.get("jobresult").get("storagepool").get("state").asText());
        assertEquals(431, server.admin.call("enableStorageMaintenance", "id", poolId).status(), "already in maintenance");
        job = server.admin.awaitJob(OneHostCloud.ok(server.admin.call("cancelStorageMaintenance", "id", poolId),
                "cancelStorageMaintenance").get("jobid").asText());
        assertEquals("Up", job.get("jobresult").get("storagepool").get("state").asText());
        delete(poolId);
    }

    @Test
    void capacityIsThePoolsFromCephDfNotTheRawClusterSize() throws Exception {
        String poolId = createPool("df-pool", ceph.admin(), "zone").get("id").asText();
        JsonNode pool = OneHostCloud.ok(server.admin.call("updateStoragePool", "id", poolId), "updateStoragePool")
                .get("storagepool");
        JsonNode df = cephDf();
        JsonNode stats = null;
        for (JsonNode p : df.get("pools")) {
            if (p.get("name").asText().equals(ceph.pool())) {
                stats = p.get("stats");
            }
        }
        long stored = stats.get("stored").asLong();
        long total = stored + stats.get("max_avail").asLong();
        assertTrue(Math.abs(pool.get("disksizeused").asLong() - stored) <= (1L << 20),
                "used " + pool.get("disksizeused") + " vs ceph df stored " + stored);
        assertTrue(Math.abs(pool.get("disksizetotal").asLong() - total) <= total / 100,
                "total " + pool.get("disksizetotal") + " vs ceph df stored + max_avail " + total);
        long raw = df.get("stats").get("total_bytes").asLong();
        assertTrue(pool.get("disksizetotal").asLong() != raw, "not the raw cluster size " + raw);
        delete(poolId);
    }

    /** {@code ceph df} as JSON, run with the harness's conf and keyring paths (never a key on argv). */
    private static JsonNode cephDf() throws Exception {
        Process process = new ProcessBuilder("ceph", "--conf", ceph.conf().toString(), "--name", "client.admin",
                "--keyring", ceph.conf().resolveSibling("ceph.client.admin.keyring").toString(), "df", "--format", "json")
                .redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "ceph df failed");
        return ApiClient.JSON.readTree(out);
    }

    @Test
    void poolWithThePoolLimitedUserWorksToo() throws Exception {
        JsonNode pool = createPool("limited-pool", ceph.limitedUser(), "cluster");
        assertEquals("CLUSTER", pool.get("scope").asText());
        assertEquals(clusterId, pool.get("clusterid").asText());
        assertLibvirtPoolActive(pool.get("id").asText());
        delete(pool.get("id").asText());
    }

    @Test
    void twoMonitorsOfWhichOneIsWrongStillWork() throws Exception {
        String url = "rbd://" + ceph.admin().id() + ":" + enc(ceph.admin().key()) + "@127.0.0.1:1,"
                + ceph.monHost() + ":" + ceph.monV1Port() + "/" + ceph.pool();
        ApiClient.Reply reply = server.admin.call("createStoragePool", "name", "two-mons", "zoneid", zoneId,
                "scope", "zone", "hypervisor", "KVM", "url", url);
        assertEquals(200, reply.status(), reply.body());
        delete(reply.response("createStoragePool").get("storagepool").get("id").asText());
    }

    @Test
    void wrongKeyIs431WithTheReasonAndSavesNothing() throws Exception {
        // A well-formed cephx key that is not the user's.
        String forged = "AQBUxJtlAAAAABAAx5ESM9mE6rdRvQpq0y5n1w==";
        ApiClient.Reply reply = server.admin.call("createStoragePool", "name", "bad-key", "zoneid", zoneId,
                "scope", "zone", "hypervisor", "KVM", "url", "rbd://" + ceph.admin().id() + ":" + enc(forged) + "@"
                        + ceph.monHost() + "/" + ceph.pool());
        assertEquals(431, reply.status(), reply.body());
        assertTrue(reply.response("createStoragePool").get("errortext").asText().startsWith("Ceph refused the user or key"),
                reply.body());
        assertFalse(reply.body().contains(forged));
        assertEquals(0, listPools("bad-key").size(), "nothing saved");
    }

    @Test
    void missingCephPoolIs431() throws Exception {
        ApiClient.Reply reply = server.admin.call("createStoragePool", "name", "no-pool", "zoneid", zoneId,
                "scope", "zone", "hypervisor", "KVM", "url", "rbd://" + ceph.admin().id() + ":"
                        + enc(ceph.admin().key()) + "@" + ceph.monHost() + "/no-such-pool");
        assertEquals(431, reply.status(), reply.body());
        assertTrue(reply.response("createStoragePool").get("errortext").asText().contains("does not exist"), reply.body());
    }

    @Test
    void unreachableMonitorsAre530InBoundedTime() throws Exception {
        long t0 = System.nanoTime();
        ApiClient.Reply reply = server.admin.call("createStoragePool", "name", "no-mons", "zoneid", zoneId,
                "scope", "zone", "hypervisor", "KVM", "url", "rbd://" + ceph.admin().id() + ":"
                        + enc(ceph.admin().key()) + "@127.0.0.1:1/" + ceph.pool());
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        assertEquals(530, reply.status(), reply.body());
        assertTrue(reply.response("createStoragePool").get("errortext").asText().startsWith("no Ceph monitor answered"),
                reply.body());
        assertTrue(seconds < 40, "answered in " + seconds + " s");
    }

    @Test
    void keysNeverReachLogsArgvOrListings() throws Exception {
        JsonNode pool = createPool("secret-check", ceph.limitedUser(), "zone");
        String listing = server.admin.call("listStoragePools").body();
        delete(pool.get("id").asText());
        for (CephKeyring.CephUser user : List.of(ceph.admin(), ceph.limitedUser())) {
            assertNoKeyIn(listing);
            for (String line : logs.lines()) {
                assertFalse(line.contains(user.key()), "key of client." + user.id() + " logged: " + line);
            }
            for (String argv : commandLines()) {
                assertFalse(argv.contains(user.key()), "key of client." + user.id() + " on a command line: " + argv);
            }
        }
    }

    private static JsonNode createPool(String name, CephKeyring.CephUser user, String scope) throws Exception {
        return scope.equals("cluster") ? cloud.createdRbdPool(name, user, scope, "tags", "ceph,ssd", "clusterid", clusterId)
                : cloud.createdRbdPool(name, user, scope, "tags", "ceph,ssd");
    }

    private static void delete(String poolId) throws Exception {
        cloud.deletePool(poolId);
    }

    private static JsonNode listPools(String name) throws Exception {
        JsonNode list = server.admin.call("listStoragePools", "name", name).response("listStoragePools");
        return list.has("storagepool") ? list.get("storagepool") : ApiClient.JSON.createArrayNode();
    }

    private static void assertLibvirtPoolActive(String poolUuid) throws Exception {
        Connect libvirt = new Connect(RealServices.load().libvirtUri());
        try {
            StoragePool pool = libvirt.storagePoolLookupByName(poolUuid);
            assertEquals(1, pool.isActive());
            assertTrue(pool.getXMLDesc(0).contains("type='ceph'"));
        } finally {
            libvirt.close();
        }
    }

    /** The secret the libvirt pool authenticates with is defined, a ceph secret of this pool. */
    private static void assertCephSecretOfPoolDefined(String poolUuid) throws Exception {
        Connect libvirt = new Connect(RealServices.load().libvirtUri());
        try {
            Secret secret = libvirt.secretLookupByUUIDString(secretUuidOf(libvirt.storagePoolLookupByName(poolUuid)));
            assertEquals(SecretUsageType.CEPH, secret.getUsageType());
            assertTrue(secret.getUsageID().endsWith(" " + poolUuid), secret.getUsageID());
        } finally {
            libvirt.close();
        }
    }

    /** Stops and undefines the libvirt pool and undefines its secret, as a reinstalled host would have lost them. */
    private static void undefineInLibvirt(String poolUuid) throws Exception {
        Connect libvirt = new Connect(RealServices.load().libvirtUri());
        try {
            StoragePool pool = libvirt.storagePoolLookupByName(poolUuid);
            String secretUuid = secretUuidOf(pool);
            pool.destroy();
            pool.undefine();
            libvirt.secretLookupByUUIDString(secretUuid).undefine();
        } finally {
            libvirt.close();
        }
    }

    private static String secretUuidOf(StoragePool pool) throws Exception {
        return pool.getXMLDesc(0).replaceAll("(?s).*<secret uuid='([^']+)'.*", "$1");
    }

    /** The ids of the hosts the server records the pool as defined on (storage_pool_host_ref). */
    private static Set<String> attachedHostIds(String poolUuid) throws Exception {
        Set<String> hosts = new HashSet<>();
        try (Connection c = cloud.db.connect();
             PreparedStatement query = c.prepareStatement("SELECT h.uuid FROM storage_pool_host_ref r"
                     + " JOIN host h ON h.id = r.host_id JOIN storage_pool s ON s.id = r.pool_id WHERE s.uuid = ?")) {
            query.setString(1, poolUuid);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    hosts.add(rows.getString(1));
                }
            }
        }
        return hosts;
    }

    private static void assertLibvirtPoolGone(String poolUuid) throws Exception {
        Connect libvirt = new Connect(RealServices.load().libvirtUri());
        try {
            assertFalse(List.of(libvirt.listStoragePools()).contains(poolUuid));
            assertFalse(List.of(libvirt.listDefinedStoragePools()).contains(poolUuid));
        } finally {
            libvirt.close();
        }
    }

    private static void assertNoKeyIn(String text) {
        assertFalse(text.contains(ceph.admin().key()), "admin key in " + text);
        assertFalse(text.contains(ceph.limitedUser().key()), "limited user's key in " + text);
    }

    /** Every process's argv on this machine, as /proc shows it. */
    private static List<String> commandLines() throws Exception {
        List<String> all = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    all.add(new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '));
                } catch (java.io.IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return all;
    }

    private static String enc(String s) {
        return OneHostCloud.enc(s);
    }
}
