package io.rbdstack.server.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import io.rbdstack.spi.agent.Ping;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * listHosts follows an agent's connection: Up while it pings, Alert when its pings stop but the
 * socket stays open (3 intervals), Disconnected when the server gives up on it (6 intervals).
 */
class HostStateIT {

    @TempDir
    Path dir;

    @Test
    void aSilentAgentGoesAlertThenDisconnected() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Path config = TestServer.prepareConfig(dir.resolve("conf"), "agent.heartbeat.seconds=1");
            db.writeDbProperties(config, "serverTimezone=UTC");
            // The raw agent speaks plain TCP: turned on as an admin would, then a restart.
            try (TestServer first = new TestServer(config)) {
                first.admin.call("updateConfiguration", "name", "agent.plaintext.allowed", "value", "true");
            }
            try (TestServer server = new TestServer(config)) {
                ApiClient admin = server.admin;
                String zone = admin.call("createZone", "name", "z", "dns1", "8.8.8.8", "internaldns1", "10.0.0.2",
                        "networktype", "Advanced").response("createZone").get("zone").get("id").asText();
                String pod = admin.call("createPod", "name", "p", "zoneid", zone, "gateway", "10.0.0.1", "netmask",
                        "255.255.255.0").response("createPod").get("pod").get("id").asText();
                String cluster = admin.call("addCluster", "clustername", "c", "clustertype", "CloudManaged",
                        "hypervisor", "KVM", "zoneid", zone, "podid", pod).response("addCluster").get("cluster").get(0)
                        .get("id").asText();
                JsonNode host = admin.call("addHost", "zoneid", zone, "podid", pod, "clusterid", cluster, "url",
                        "http://kvm-silent", "hypervisor", "KVM").response("addHost").get("host").get(0);
                String hostId = host.get("id").asText();

                try (RawAgent agent = new RawAgent(server.server.agentPort())) {
                    agent.handshake(host.get("agenttoken").asText());
                    agent.send(new Ping(1));
                    Await.until("host Up", () -> state(admin, hostId).equals("Up"));
                    // From here the agent says nothing, but keeps its socket open.
                    Await.until("host Alert", () -> state(admin, hostId).equals("Alert"));
                    Await.until("host Disconnected", () -> state(admin, hostId).equals("Disconnected"));
                    JsonNode row = admin.call("listHosts", "id", hostId).response("listHosts").get("host").get(0);
                    assertTrue(row.has("statereason"), row.toString());
                    Await.until("server closed the silent connection", agent::closedByServer);
                }
                assertEquals("Disconnected", state(admin, hostId));
            }
        }
    }

    private static String state(ApiClient admin, String hostId) {
        try {
            return admin.call("listHosts", "id", hostId).response("listHosts").get("host").get(0).get("state").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
