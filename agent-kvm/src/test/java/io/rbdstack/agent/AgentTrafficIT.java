package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RecordingRelay;
import io.rbdstack.testing.CephKeyring;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What someone on the network between an agent and the management server sees: a relay records
 * every byte of a second host's agent connection through a whole storage pool lifecycle on the
 * real Ceph (the pool and its cephx key defined on that host, its capacity read, a volume made
 * and deleted, the pool removed), and the key is in none of it, in any encoding.
 */
class AgentTrafficIT {

    @TempDir
    static Path dir;
    static OneHostCloud cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void theCephxKeyIsNotOnTheWireOfAPoolLifecycle() throws Exception {
        CephKeyring.CephUser user = cloud.ceph.limitedUser();
        Map<String, byte[]> keyForms = keyForms(user.key());
        // The search itself finds a key sent in clear (a JSON line as the protocol would carry it).
        byte[] clear = ("{\"command\":\"rbd.definePool\",\"key\":\"" + user.key() + "\"}\n").getBytes(StandardCharsets.UTF_8);
        assertTrue(keyForms.values().stream().anyMatch(form -> indexOf(clear, form) >= 0));

        try (RecordingRelay relay = new RecordingRelay(cloud.server.server.agentPort());
             OneHostCloud.JoinedHost relayed = cloud.addHost("kvm-relayed", dir.resolve("relayed"), relay.port())) {
            JsonNode pool = cloud.createdRbdPool("relayed-pool", user, "cluster", "clusterid", cloud.clusterId, "podid",
                    cloud.podId);
            String poolId = pool.get("id").asText();
            Deadline.await("pool defined on the relayed host too", Duration.ofSeconds(30),
                    () -> attachedTo(poolId, relayed.hostId));
            OneHostCloud.ok(cloud.admin().call("updateStoragePool", "id", poolId), "updateStoragePool");
            JsonNode volume = OneHostCloud.awaitOk(cloud.admin(), cloud.admin().call("createVolume", "name", "relayed-vol",
                    "zoneid", cloud.zoneId, "size", "1"), "createVolume").get("volume");
            OneHostCloud.ok(cloud.admin().call("deleteVolume", "id", volume.get("id").asText()), "deleteVolume");
            deleteHostIsRefusedWhileTheHostAloneServesThePool(relayed.hostId, poolId);
            cloud.deletePool(poolId);

            byte[] wire = relay.recorded();
            assertTrue(wire.length > 4096, "the relay saw the connection: " + wire.length + " bytes");
            assertEquals(0x16, wire[0], "the first byte is a TLS handshake record");
            keyForms.forEach((form, bytes) -> assertEquals(-1, indexOf(wire, bytes),
                    "the cephx key (" + form + ") crossed the agent port in clear"));
        }
    }

    /** deleteHost refuses (536) while another host is not Up for the pool; the relayed one is the only other. */
    private static void deleteHostIsRefusedWhileTheHostAloneServesThePool(String relayedHostId, String poolId) throws Exception {
        cloud.stopAgent(); // host 1 down: the relayed host is now the pool's only Up host
        try {
            io.rbdstack.server.ApiClient.Reply refused = cloud.admin().call("deleteHost", "id", relayedHostId);
            assertEquals(536, refused.status(), refused.body());
            assertTrue(refused.body().contains("relayed-pool"), refused.body());
        } finally {
            cloud.startAgent();
        }
    }

    /** The key as text (standard and URL-safe Base64, with and without padding, percent-encoded) and as bytes. */
    private static Map<String, byte[]> keyForms(String key) {
        Map<String, byte[]> forms = new LinkedHashMap<>();
        String urlSafe = key.replace('+', '-').replace('/', '_');
        forms.put("base64", ascii(key));
        forms.put("base64 without padding", ascii(key.replace("=", "")));
        forms.put("URL-safe base64", ascii(urlSafe.replace("=", "")));
        forms.put("percent-encoded", ascii(URLEncoder.encode(key, StandardCharsets.UTF_8)));
        byte[] decoded = Base64.getDecoder().decode(key);
        forms.put("decoded key blob", decoded);
        forms.put("the 16-byte secret in it", Arrays.copyOfRange(decoded, decoded.length - 16, decoded.length));
        forms.put("hex", ascii(HexFormat.of().formatHex(decoded)));
        return forms;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean attachedTo(String poolUuid, String hostUuid) throws Exception {
        try (Connection c = cloud.db.connect();
             PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM storage_pool_host_ref r"
                     + " JOIN host h ON h.id = r.host_id JOIN storage_pool s ON s.id = r.pool_id"
                     + " WHERE s.uuid = ? AND h.uuid = ?")) {
            query.setString(1, poolUuid);
            query.setString(2, hostUuid);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1) == 1;
            }
        }
    }
}
