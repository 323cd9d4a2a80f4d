package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.connect.BasicCommands;
import io.rbdstack.agent.connect.ClientConfig;
import io.rbdstack.agent.connect.ConnectionListener;
import io.rbdstack.agent.connect.ManagementServerClient;
import io.rbdstack.agent.connect.ReconnectBackoff;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.HostInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent client against the real management server on the real DB: a host added through
 * the API comes Up when its agent connects with the issued credential, answers an async
 * reconnectHost job, goes Disconnected when the agent stops, and comes back after a server restart.
 */
class AgentHostLifecycleIT {

    private static final HostInfo HOST_INFO = new HostInfo(2, 2400, 4L << 30, "9.0.0", "7.2.0", true);

    @TempDir
    Path dir;
    TestDatabase db;
    TestServer server;
    Path config;

    @BeforeEach
    void start() throws Exception {
        db = new TestDatabase();
        config = TestServer.prepareConfig(dir.resolve("conf"), "agent.heartbeat.seconds=1");
        db.writeDbProperties(config, "serverTimezone=UTC");
        server = new TestServer(config);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        db.close();
    }

    @Test
    void hostComesUpAnswersJobsAndDisconnects() throws Exception {
        JsonNode host = addHost("kvm1.example.com");
        String hostId = host.get("id").asText();
        assertEquals("Connecting", host.get("state").asText());
        String token = host.get("agenttoken").asText();

        try (ManagementServerClient agent = agent(server.server.agentPort(), token)) {
            awaitState(hostId, "Up");
            JsonNode listed = hostRow(hostId);
            assertNull(listed.get("agenttoken"), "the credential is shown only by addHost");
            assertEquals("true", listed.get("details").get("libvirt.rbd.storage.backend").asText());
            assertEquals(2, listed.get("cpunumber").asInt());

            JsonNode start = server.admin.call("reconnectHost", "id", hostId).response("reconnectHost");
            assertEquals(hostId, start.get("id").asText());
            JsonNode job = server.admin.awaitJob(start.get("jobid").asText());
            assertEquals(1, job.get("jobstatus").asInt(), job.toString());
            assertEquals("object", job.get("jobresulttype").asText());
            assertEquals(hostId, job.get("jobresult").get("host").get("id").asText());
            assertEquals("Host", job.get("jobinstancetype").asText());
        }
        awaitState(hostId, "Disconnected");

        // A job against a host without an agent fails with a reason, not a hang.
        String jobId = server.admin.call("reconnectHost", "id", hostId).response("reconnectHost").get("jobid").asText();
        JsonNode failed = server.admin.awaitJob(jobId);
        assertEquals(2, failed.get("jobstatus").asInt());
        assertEquals(534, failed.get("jobresult").get("errorcode").asInt());
        assertTrue(failed.get("jobresult").get("errortext").asText().contains("not connected"), failed.toString());
    }

    @Test
    void wrongCredentialIsRefused() throws Exception {
        String hostId = addHost("kvm2.example.com").get("id").asText();
        try (ManagementServerClient agent = agent(server.server.agentPort(), "not-the-issued-token")) {
            Thread.sleep(1500);
            assertFalse(agent.isConnected());
            assertEquals("Connecting", hostRow(hostId).get("state").asText());
        }
    }

    @Test
    void agentReconnectsAfterTheServerRestarts() throws Exception {
        JsonNode host = addHost("kvm3.example.com");
        String hostId = host.get("id").asText();
        int agentPort = server.server.agentPort();
        try (ManagementServerClient agent = agent(agentPort, host.get("agenttoken").asText())) {
            awaitState(hostId, "Up");
            server.close();
            server = null;
            // Same agent port, so the agent's configured address stays right.
            Path restart = TestServer.prepareConfig(config, "agent.heartbeat.seconds=1");
            java.nio.file.Files.writeString(restart.resolve("server.properties"),
                    java.nio.file.Files.readString(restart.resolve("server.properties"))
                            .replace("agent.port=0", "agent.port=" + agentPort));
            server = new TestServer(restart);
            awaitState(hostId, "Up");
            assertTrue(agent.isConnected());
        }
    }

    private ManagementServerClient agent(int port, String token) {
        Supplier<Hello> hello = () -> new Hello(token, "kvm-test", "test", HOST_INFO);
        ClientConfig config = ClientConfig.plain("127.0.0.1", port)
                .withBackoff(new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500), 0.1));
        ManagementServerClient client = new ManagementServerClient(config, hello,
                new BasicCommands("kvm-test", () -> HOST_INFO, BasicCommands.unsupported()), ConnectionListener.NONE);
        client.start();
        return client;
    }

    private JsonNode addHost(String name) throws Exception {
        JsonNode zone = server.admin.call("createZone", "name", "z-" + name, "dns1", "8.8.8.8", "internaldns1",
                "10.0.0.2", "networktype", "Advanced").response("createZone").get("zone");
        JsonNode pod = server.admin.call("createPod", "name", "p", "zoneid", zone.get("id").asText(), "gateway",
                "10.0.0.1", "netmask", "255.255.255.0").response("createPod").get("pod");
        JsonNode cluster = server.admin.call("addCluster", "clustername", "c", "clustertype", "CloudManaged",
                "hypervisor", "KVM", "zoneid", zone.get("id").asText(), "podid", pod.get("id").asText())
                .response("addCluster").get("cluster").get(0);
        ApiClient.Reply reply = server.admin.call("addHost", "zoneid", zone.get("id").asText(), "podid",
                pod.get("id").asText(), "clusterid", cluster.get("id").asText(), "url", "http://" + name,
                "hypervisor", "KVM", "username", "root", "password", "unused");
        assertEquals(200, reply.status(), reply.body());
        return reply.response("addHost").get("host").get(0);
    }

    private JsonNode hostRow(String hostId) throws Exception {
        return server.admin.call("listHosts", "id", hostId).response("listHosts").get("host").get(0);
    }

    private void awaitState(String hostId, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            last = hostRow(hostId).get("state").asText();
            if (last.equals(state)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("host " + hostId + " did not become " + state + " (last: " + last + ")");
    }
}
