package io.rbdstack.server.imagestore;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import io.rbdstack.server.vm.FakeHypervisorAgent;
import io.rbdstack.spi.agent.store.ImageStoreAnswer;
import io.rbdstack.spi.agent.store.TestImageStoreCommand;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudStack's addImageStoreS3 on the real server and DB, against a protocol-level fake agent that
 * answers store.test ({@link FakeHypervisorAgent}): what the server checks, stores and sends to the
 * hosts. The S3 store itself on a real RGW is tested by agent-kvm's S3 ITs and WebUiStorageIT.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AddImageStoreS3IT {

    private static final String SECRET = "Rgw/Secret+Key=with-chars-0123456789";

    @TempDir
    static Path dir;
    static TestDatabase db;
    static TestServer server;
    static ApiClient admin;
    static FakeHypervisorAgent agent;
    static String zone;

    @BeforeAll
    static void start() throws Exception {
        db = new TestDatabase();
        Path config = TestServer.prepareConfig(dir.resolve("conf"), "agent.heartbeat.seconds=1");
        db.writeDbProperties(config, "serverTimezone=UTC");
        // The fake agent speaks plain TCP: turned on as an admin would, then a restart.
        try (TestServer first = new TestServer(config)) {
            ok(first.admin.call("updateConfiguration", "name", "agent.plaintext.allowed", "value", "true"),
                    "updateConfiguration");
        }
        server = new TestServer(config);
        admin = server.admin;
        zone = ok(admin.call("createZone", "name", "sz", "dns1", "8.8.8.8", "internaldns1", "10.0.0.2",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        String pod = ok(admin.call("createPod", "name", "sp", "zoneid", zone, "gateway", "10.0.0.1", "netmask",
                "255.255.255.0"), "createPod").get("pod").get("id").asText();
        String cluster = ok(admin.call("addCluster", "clustername", "sc", "clustertype", "CloudManaged", "hypervisor",
                "KVM", "zoneid", zone, "podid", pod), "addCluster").get("cluster").get(0).get("id").asText();
        JsonNode host = ok(admin.call("addHost", "zoneid", zone, "podid", pod, "clusterid", cluster, "url",
                "http://kvm-s3", "hypervisor", "KVM"), "addHost").get("host").get(0);
        agent = new FakeHypervisorAgent(server.server.agentPort(), host.get("agenttoken").asText(), "kvm-s3", 1L << 33);
        String hostId = host.get("id").asText();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!"Up".equals(admin.call("listHosts", "id", hostId).response("listHosts").get("host").get(0)
                .get("state").asText())) {
            assertTrue(System.nanoTime() < deadline, "the fake host is Up within 20 s");
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {agent, server, db}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static ApiClient.Reply addS3(String... more) throws Exception {
        List<String> params = new ArrayList<>(List.of("accesskey", "AKIA-RGW", "secretkey", SECRET, "endpoint",
                "127.0.0.1:7480", "bucket"));
        params.addAll(List.of(more));
        return admin.call("addImageStoreS3", params.toArray(String[]::new));
    }

    private static int storeCount() throws Exception {
        return ok(admin.call("listImageStores"), "listImageStores").path("count").asInt();
    }

    @Test
    @Order(1)
    void addImageStoreS3MakesTheS3StoreOfTheOnlyZoneWithTheSecretEncryptedAndNeverShown() throws Exception {
        int testsBefore = agent.received(TestImageStoreCommand.class).size();
        ApiClient.Reply reply = addS3("legacy-backups", "usehttps", "false", "s3signer", "AWSS3V4SignerType",
                "connectiontimeout", "5000", "sockettimeout", "10000", "maxerrorretry", "3", "connectionttl", "-1",
                "usetcpkeepalive", "true");
        JsonNode store = ok(reply, "addImageStoreS3").get("imagestore");
        assertTrue(reply.json().has("addimagestores3response"), reply.body());
        assertEquals("S3", store.get("providername").asText());
        assertEquals("http", store.get("protocol").asText());
        assertEquals("s3://127.0.0.1:7480/legacy-backups?usehttps=false&region=us-east-1", store.get("url").asText());
        assertEquals(store.get("url").asText(), store.get("name").asText(), "named by its URL, as CloudStack does");
        assertEquals(zone, store.get("zoneid").asText());
        assertEquals(1L << 40, store.get("disksizetotal").asLong(), "the capacity the host reported");
        assertFalse(reply.body().contains(SECRET), reply.body());

        List<TestImageStoreCommand> tests = agent.received(TestImageStoreCommand.class);
        assertEquals(testsBefore + 1, tests.size(), "the host tested the store once");
        TestImageStoreCommand test = tests.get(tests.size() - 1);
        assertEquals(store.get("url").asText(), test.url());
        assertEquals("AKIA-RGW", test.credentials().accessKey());
        assertEquals(SECRET, test.credentials().secretKey().reveal(), "the host got the keys to test with");

        String column = sqlString("SELECT url FROM image_store WHERE uuid = ?", store.get("id").asText());
        assertFalse(column.contains(SECRET), "the secret key is not in the DB in plaintext: " + column);
        ApiClient.Reply listed = admin.call("listImageStores", "id", store.get("id").asText());
        assertFalse(listed.body().contains(SECRET), listed.body());
        assertEquals("S3", ok(listed, "listImageStores").get("imagestore").get(0).get("providername").asText());
        ok(admin.call("deleteImageStore", "id", store.get("id").asText()), "deleteImageStore");
    }

    @Test
    @Order(2)
    void itMakesTheSameStoreAsAddImageStoreWithS3Details() throws Exception {
        JsonNode legacy = ok(addS3("same-bucket", "usehttps", "true", "name", "legacy"), "addImageStoreS3")
                .get("imagestore");
        JsonNode current = ok(admin.call("addImageStore", "provider", "S3", "name", "current", "zoneid", zone,
                "details[0].key", "accesskey", "details[0].value", "AKIA-RGW", "details[1].key", "secretkey",
                "details[1].value", SECRET, "details[2].key", "endpoint", "details[2].value", "127.0.0.1:7480",
                "details[3].key", "bucket", "details[3].value", "same-bucket", "details[4].key", "usehttps",
                "details[4].value", "true"), "addImageStore").get("imagestore");
        for (String field : List.of("url", "protocol", "providername", "scope", "zoneid")) {
            assertEquals(current.get(field), legacy.get(field), field);
        }
        assertEquals("legacy", legacy.get("name").asText());
        ok(admin.call("deleteImageStore", "id", legacy.get("id").asText()), "deleteImageStore");
        ok(admin.call("deleteImageStore", "id", current.get("id").asText()), "deleteImageStore");
    }

    @Test
    @Order(3)
    void badValuesAre431NamingTheirParameterAndStoreNothing() throws Exception {
        int before = storeCount();
        assertRefused(addS3("Bad_Bucket"), "parameter bucket");
        assertRefused(admin.call("addImageStoreS3", "accesskey", "AK", "secretkey", SECRET, "endpoint",
                "rgw.example.com/path", "bucket", "backups"), "parameter endpoint");
        assertRefused(admin.call("addImageStoreS3", "accesskey", "AK", "secretkey", SECRET, "endpoint",
                "https://rgw.example.com", "bucket", "backups", "usehttps", "false"), "parameter usehttps");
        assertRefused(addS3("backups", "s3signer", "S3SignerType"), "parameter s3signer");
        assertRefused(addS3("backups", "connectiontimeout", "-5"), "connectiontimeout");
        assertRefused(addS3("backups", "usetcpkeepalive", "sometimes"), "usetcpkeepalive");
        assertRefused(admin.call("addImageStoreS3", "accesskey", "AK", "endpoint", "h:80", "bucket", "backups"),
                "secretkey");
        // addImageStore names the detail at fault the same way the RBD plugin does (the UI places it by that).
        assertRefused(admin.call("addImageStore", "provider", "S3", "zoneid", zone, "details[0].key", "accesskey",
                "details[0].value", "AK", "details[1].key", "secretkey", "details[1].value", SECRET, "details[2].key",
                "endpoint", "details[2].value", "h:80", "details[3].key", "bucket", "details[3].value", "B_1"),
                "parameter details[].bucket");
        assertEquals(before, storeCount(), "nothing was stored");
    }

    @Test
    @Order(4)
    void aStoreTheHostCannotUseIsRefusedWithTheHostsReason() throws Exception {
        int before = storeCount();
        agent.storeAnswer = ImageStoreAnswer.failed("S3 refused the keys: InvalidAccessKeyId (403)");
        try {
            ApiClient.Reply refused = addS3("backups");
            assertRefused(refused, "S3 refused the keys: InvalidAccessKeyId");
            assertTrue(refused.body().contains("cannot use image store s3://127.0.0.1:7480/backups"), refused.body());
        } finally {
            agent.storeAnswer = new ImageStoreAnswer(true, null, 1L << 40, 0);
        }
        assertEquals(before, storeCount(), "nothing was stored");
    }

    @Test
    @Order(5)
    void withSeveralZonesTheZoneIsNamed() throws Exception {
        ok(admin.call("createZone", "name", "sz2", "dns1", "8.8.8.8", "internaldns1", "10.0.0.2", "networktype",
                "Advanced"), "createZone");
        assertRefused(addS3("backups"), "parameter zoneid");
        JsonNode store = ok(addS3("backups", "zoneid", zone), "addImageStoreS3").get("imagestore");
        assertEquals(zone, store.get("zoneid").asText());
        ok(admin.call("deleteImageStore", "id", store.get("id").asText()), "deleteImageStore");
    }

    private static void assertRefused(ApiClient.Reply reply, String text) {
        assertEquals(431, reply.status(), reply.body());
        assertTrue(reply.body().contains(text), "'" + text + "' in " + reply.body());
        assertFalse(reply.body().contains(SECRET), reply.body());
    }

    private static String sqlString(String sql, String arg) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                return rs.getString(1);
            }
        }
    }
}
