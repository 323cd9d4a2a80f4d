package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.connect.BasicCommandHandlers;
import io.rbdstack.agent.connect.ClientConfig;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.connect.AgentCertificates;
import io.rbdstack.testing.LogCapture;
import java.util.Optional;
import io.rbdstack.agent.connect.ConnectionListener;
import io.rbdstack.agent.connect.ManagementServerClient;
import io.rbdstack.agent.connect.ReconnectBackoff;
import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.ReadyCommand;
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
            assertEquals(50, job.get("jobprocstatus").asInt(), "progress reported by the job");

            JsonNode jobs = server.admin.call("listAsyncJobs").response("listAsyncJobs");
            assertTrue(jobs.get("count").asInt() >= 1);
            assertEquals(start.get("jobid").asText(), jobs.get("asyncjobs").get(0).get("jobid").asText(), "newest first");
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

    @Test
    void plainTcpAgentsAreServedOnlyWhenTheAdminTurnsItOn() throws Exception {
        JsonNode host = addHost("kvm-plain.example.com");
        String token = host.get("agenttoken").asText();
        try (ManagementServerClient plain = agent(ClientConfig.plain("127.0.0.1", server.server.agentPort())
                .withBackoff(FAST), token, basicCommands())) {
            Thread.sleep(1000);
            assertFalse(plain.isConnected(), "plain TCP is off by default");
        }
        assertEquals(200, server.admin.call("updateConfiguration", "name", "agent.plaintext.allowed", "value", "true")
                .status());
        int agentPort = server.server.agentPort();
        server.close();
        server = null;
        try (LogCapture log = new LogCapture()) {
            server = new TestServer(TestServer.prepareConfig(config, "agent.heartbeat.seconds=1",
                    "agent.port=" + agentPort));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains(": agent.plaintext.allowed is true")),
                    "a WARN at every start while plain TCP is on");
        }
        try (ManagementServerClient plain = agent(ClientConfig.plain("127.0.0.1", agentPort).withBackoff(FAST), token,
                basicCommands())) {
            awaitState(host.get("id").asText(), "Up");
        }
    }

    @Test
    void stoppingTheServerLetsARunningJobFinish() throws Exception {
        JsonNode host = addHost("kvm-slow.example.com");
        String hostId = host.get("id").asText();
        CommandHandler slowReady = command -> {
            if (command instanceof ReadyCommand) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return basicCommands().handle(command);
        };
        ClientConfig agentConfig = mutualTls(server.server.agentPort());
        try (ManagementServerClient agent = agent(agentConfig, host.get("agenttoken").asText(), slowReady)) {
            awaitState(hostId, "Up");
            String jobId = server.admin.call("reconnectHost", "id", hostId).response("reconnectHost").get("jobid").asText();
            Thread.sleep(200);
            server.close(); // the grace period (2 s) covers the 1 s command
            server = new TestServer(config);
            JsonNode job = server.admin.awaitJob(jobId);
            assertEquals(1, job.get("jobstatus").asInt(), "drained, not failed: " + job);
        }
    }

    private static CommandHandler basicCommands() {
        return CommandHandlerRegistry.of(BasicCommandHandlers.handlers("kvm-test", () -> HOST_INFO));
    }

    private static final ReconnectBackoff FAST = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500), 0.1);

    /** An agent that bootstraps with its token and then connects with its certificate (kept in a directory of its own). */
    private ManagementServerClient agent(int port, String token) throws Exception {
        return agent(mutualTls(port), token, basicCommands());
    }

    private ClientConfig mutualTls(int port) throws Exception {
        Path certificates = java.nio.file.Files.createTempDirectory(dir, "agent-tls");
        return ClientConfig.plain("127.0.0.1", port).withBackoff(FAST)
                .withCertificates(new AgentCertificates(certificates, Optional.of(server.server.caFingerprint())));
    }

    private ManagementServerClient agent(ClientConfig config, String token, CommandHandler handler) {
        Supplier<Hello> hello = () -> new Hello(token, "kvm-test", "test", HOST_INFO);
        ManagementServerClient client = new ManagementServerClient(config,
                MessageCodec.load(getClass().getClassLoader()), hello, handler, ConnectionListener.NONE);
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
