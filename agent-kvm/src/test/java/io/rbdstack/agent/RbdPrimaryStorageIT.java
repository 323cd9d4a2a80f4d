package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import io.rbdstack.testing.CephKeyring;
import io.rbdstack.testing.RealServices;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.StoragePool;
import org.slf4j.LoggerFactory;

/**
 * RBD primary storage end to end: the management server with the RBD plugin, a real agent on this
 * host with real libvirtd, and the real Ceph cluster. The cephx keys must never show in logs,
 * process arguments or API answers.
 */
class RbdPrimaryStorageIT {

    @TempDir
    static Path dir;
    static TestDatabase db;
    static TestServer server;
    static Agent agent;
    static String zoneId;
    static String clusterId;
    static RealServices.Ceph ceph;
    static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeAll
    static void start() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.DEBUG);
        ceph = RealServices.load().ceph();
        db = new TestDatabase();
        Path config = TestServer.prepareConfig(dir.resolve("conf"), "agent.heartbeat.seconds=1");
        db.writeDbProperties(config, "serverTimezone=UTC");
        server = new TestServer(config);

        zoneId = server.admin.call("createZone", "name", "ceph-zone", "dns1", "8.8.8.8", "internaldns1", "10.0.0.2",
                "networktype", "Advanced").response("createZone").get("zone").get("id").asText();
        String podId = server.admin.call("createPod", "name", "p", "zoneid", zoneId, "gateway", "10.0.0.1",
                "netmask", "255.255.255.0").response("createPod").get("pod").get("id").asText();
        clusterId = server.admin.call("addCluster", "clustername", "c", "clustertype", "CloudManaged", "hypervisor",
                "KVM", "zoneid", zoneId, "podid", podId).response("addCluster").get("cluster").get(0).get("id").asText();
        JsonNode host = server.admin.call("addHost", "zoneid", zoneId, "podid", podId, "clusterid", clusterId,
                "url", "http://localhost", "hypervisor", "KVM").response("addHost").get("host").get(0);
        Path token = Files.writeString(dir.resolve("host.token"), host.get("agenttoken").asText());
        // The agent refuses a token file others can read.
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Path props = Files.writeString(dir.resolve("agent.properties"), "host=127.0.0.1\nport="
                + server.server.agentPort() + "\nhost.token.file=" + token + "\nceph.timeout.seconds=10\n");
        agent = Agent.start(AgentProperties.load(props));
        awaitHostUp(host.get("id").asText());
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (server != null) {
            server.close();
        }
        if (db != null) {
            db.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
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
            for (String line : logLines()) {
                assertFalse(line.contains(user.key()), "key of client." + user.id() + " logged: " + line);
            }
            for (String argv : commandLines()) {
                assertFalse(argv.contains(user.key()), "key of client." + user.id() + " on a command line: " + argv);
            }
        }
    }

    private static JsonNode createPool(String name, CephKeyring.CephUser user, String scope) throws Exception {
        List<String> params = new ArrayList<>(List.of("name", name, "zoneid", zoneId, "scope", scope, "hypervisor", "KVM",
                "url", "rbd://" + user.id() + ":" + enc(user.key()) + "@" + ceph.monHost() + ":" + ceph.monV1Port()
                        + "/" + ceph.pool(), "tags", "ceph,ssd"));
        if (scope.equals("cluster")) {
            params.addAll(List.of("clusterid", clusterId));
        }
        ApiClient.Reply reply = server.admin.call("createStoragePool", params.toArray(String[]::new));
        assertEquals(200, reply.status(), reply.body());
        return reply.response("createStoragePool").get("storagepool");
    }

    private static void delete(String poolId) throws Exception {
        ApiClient.Reply reply = server.admin.call("deleteStoragePool", "id", poolId);
        assertEquals(200, reply.status(), reply.body());
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

    private static List<String> logLines() {
        List<String> lines = new ArrayList<>();
        synchronized (logs) {
            for (ILoggingEvent event : new ArrayList<>(logs.list)) {
                StringBuilder line = new StringBuilder(event.getFormattedMessage());
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t.getMessage());
                }
                lines.add(line.toString());
            }
        }
        return lines;
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
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void awaitHostUp(String hostId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode host = server.admin.call("listHosts", "id", hostId).response("listHosts").get("host").get(0);
            if (host.get("state").asText().equals("Up")) {
                return;
            }
            Thread.sleep(100);
        }
        fail("host " + hostId + " did not come Up");
    }

}
