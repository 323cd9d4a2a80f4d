package io.rbdstack.agent;

import io.rbdstack.testing.LogCapture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.testing.RealServices;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled agent, configured by an agent.properties file, against a management server that
 * is a bare socket speaking the protocol's lines: the hello carries the real host facts, and an
 * rbd.testPool request (key on the wire) is answered through the real Ceph.
 */
class AgentIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void introducesTheHostAndRunsAStorageCommand() throws Exception {
        CephFixture cluster = new CephFixture();
        String token = "agent-it-" + UUID.randomUUID();
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, token + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             LogCapture logs = new LogCapture()) {
            Path properties = dir.resolve("agent.properties");
            // plaintext: this bare socket reads the protocol's lines as they are (the TLS path has ITs of its own).
            Files.writeString(properties, "host=127.0.0.1\nport=" + server.getLocalPort() + "\nhost.token.file="
                    + tokenFile + "\nlibvirt.uri=" + RealServices.load().libvirtUri() + "\nplaintext=true\n");
            try (Agent agent = Agent.start(AgentProperties.load(properties));
                 Socket socket = server.accept()) {
                socket.setSoTimeout(60_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream();

                JsonNode hello = JSON.readTree(in.readLine());
                assertEquals("hello", hello.get("type").asText());
                assertEquals(token, hello.get("hostToken").asText());
                assertEquals(agent.hostname(), hello.get("hostname").asText());
                assertTrue(hello.get("hostInfo").get("rbdStorageBackend").asBoolean(), hello.toString());
                assertTrue(hello.get("hostInfo").get("cpuCount").asInt() > 0, hello.toString());

                send(out, JSON.createObjectNode().put("type", "welcome").put("hostId", UUID.randomUUID().toString())
                        .put("heartbeatIntervalMillis", 60_000));
                ObjectNode pool = JSON.createObjectNode().put("uuid", UUID.randomUUID().toString())
                        .put("cephPool", cluster.ceph.pool()).put("cephUser", cluster.ceph.limitedUser().id())
                        .put("cephKey", cluster.ceph.limitedUser().key());
                pool.putArray("monitors").addObject().put("host", cluster.ceph.monHost()).put("port", cluster.ceph.monV1Port());
                ObjectNode request = JSON.createObjectNode().put("type", "request").put("requestId", 1)
                        .put("timeoutMillis", 30_000);
                request.putObject("command").put("command", "rbd.testPool").set("pool", pool);
                send(out, request);

                JsonNode response = JSON.readTree(in.readLine());
                assertEquals("response", response.get("type").asText(), response.toString());
                assertEquals("rbd.testPool", response.get("answer").get("answer").asText(), response.toString());
                assertTrue(response.get("answer").get("success").asBoolean(), response.toString());
            }
            for (String line : logs.lines()) {
                assertFalse(line.contains(token), line);
                assertFalse(line.contains(cluster.ceph.limitedUser().key()), line);
            }
        } finally {
            cluster.close();
        }
    }

    private static void send(OutputStream out, ObjectNode message) throws Exception {
        out.write((message.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
