package io.rbdstack.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.connect.AgentCertificates;
import io.rbdstack.agent.connect.BasicCommandHandlers;
import io.rbdstack.agent.connect.CertificateCommandHandlers;
import io.rbdstack.agent.connect.ClientConfig;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.connect.ConnectionListener;
import io.rbdstack.agent.connect.ManagementServerClient;
import io.rbdstack.agent.connect.ReconnectBackoff;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.protocol.MessageCodec;
import io.rbdstack.protocol.tls.Fingerprints;
import io.rbdstack.protocol.tls.KeyPairs;
import io.rbdstack.protocol.tls.Pem;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import io.rbdstack.server.ca.CertificateAuthority;
import io.rbdstack.server.ca.CertificateProfile;
import io.rbdstack.spi.agent.Hello;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in CA end to end, with the real server and DB and the real agent client: an agent
 * bootstraps once with its addHost credential and from then on connects only with its certificate;
 * a reused credential, a certificate of another CA and the certificate of a deleted host are
 * refused; provisionCertificate renews a certificate; listCaCertificate shows the CA.
 */
class AgentCertificatesIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer("agent.heartbeat.seconds=1");

    private static final HostInfo HOST_INFO = new HostInfo(2, 2400, 4L << 30, "9.0.0", "7.2.0", true);
    private static final ReconnectBackoff FAST = new ReconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(400), 0);

    @TempDir
    Path dir;
    private final List<ManagementServerClient> agents = new ArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final List<String> connects = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(ManagementServerClient::close);
    }

    @Test
    void anAgentBootstrapsOnceAndThenConnectsOnlyWithItsCertificate() throws Exception {
        JsonNode host = addHost("kvm-boot");
        String hostId = host.get("id").asText();
        String token = host.get("agenttoken").asText();
        assertEquals(cloud.management().caFingerprint(), host.get("cafingerprint").asText());

        AgentCertificates certificates = certificates("boot");
        ManagementServerClient agent = agent(certificates, token);
        awaitState(hostId, "Up");
        assertTrue(certificates.hasCertificate());
        X509Certificate issued = hostCertificate(certificates);
        assertEquals("CN=" + hostId, issued.getSubjectX500Principal().getName());
        assertTrue(spentAt(hostId) != null, "the credential is spent");

        // A restart of the agent connects with the certificate alone (the token would be refused now).
        agent.close();
        awaitState(hostId, "Disconnected");
        agent(certificates, "no-token-needed-any-more");
        awaitState(hostId, "Up");
        assertEquals(issued, hostCertificate(certificates), "no second bootstrap");
    }

    @Test
    void aReusedCredentialIsRefused() throws Exception {
        JsonNode host = addHost("kvm-reuse");
        String token = host.get("agenttoken").asText();
        agent(certificates("first"), token);
        awaitState(host.get("id").asText(), "Up");

        AgentCertificates thief = certificates("second");
        try (LogCapture log = new LogCapture()) {
            agent(thief, token);
            Deadline.await("the second bootstrap refused", Duration.ofSeconds(20),
                    () -> retries.stream().anyMatch(r -> r.contains("already used for a certificate")));
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("its one-time credential was already used")),
                    "the server says so in its log");
        }
        assertFalse(thief.hasCertificate());
        assertEquals(1, certificateCount(host.get("id").asText()), "one certificate issued");
    }

    @Test
    void aCertificateOfAnotherCaIsRefused() throws Exception {
        JsonNode host = addHost("kvm-foreign");
        String hostId = host.get("id").asText();
        // A well-formed certificate naming the host, but from a CA the server never had; the agent pins the real CA.
        CertificateAuthority foreign = CertificateAuthority.generate("rbdstack CA", Clock.systemUTC());
        KeyPair keys = KeyPairs.generate();
        X509Certificate forged = foreign.issue(keys.getPublic(), CertificateProfile.host(hostId), Duration.ofDays(1));
        Path tls = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(tls.resolve("ca.pem"), cloud.admin().call("listCaCertificate").response("listCaCertificate")
                .get("cacertificates").get("certificate").asText());
        Files.writeString(tls.resolve("host.pem"), Pem.encode(new Pem.KeyAndChain(keys.getPrivate(),
                List.of(forged, foreign.certificate()))));

        try (LogCapture log = new LogCapture()) {
            agent(new AgentCertificates(tls, Optional.empty()), host.get("agenttoken").asText());
            Deadline.await("two refused attempts", Duration.ofSeconds(20), () -> retries.size() >= 2);
            assertTrue(log.lines().stream().anyMatch(line -> line.contains("Refused an agent certificate")),
                    "the server logs the refusal");
        }
        assertEquals("Connecting", hostRow(hostId).get("state").asText());
    }

    @Test
    void theCertificateOfADeletedHostIsRevokedAndRefused() throws Exception {
        JsonNode host = addHost("kvm-deleted");
        String hostId = host.get("id").asText();
        AgentCertificates certificates = certificates("deleted");
        ManagementServerClient agent = agent(certificates, host.get("agenttoken").asText());
        awaitState(hostId, "Up");
        X509Certificate certificate = hostCertificate(certificates);

        ApiClient.Reply deleted = cloud.admin().call("deleteHost", "id", hostId);
        assertEquals(200, deleted.status(), deleted.body());
        assertTrue(deleted.response("deleteHost").get("success").asBoolean());
        assertTrue(isRevoked(certificate), "its serial is in the revoked table");
        assertEquals(0, cloud.admin().call("listHosts", "id", hostId).response("listHosts").path("count").asInt());

        int before = retries.size();
        Deadline.await("the agent's reconnects refused", Duration.ofSeconds(20), () -> retries.size() >= before + 2);
        assertFalse(agent.isConnected());
        assertEquals(431, cloud.admin().call("deleteHost", "id", hostId).status(), "a removed host is gone");
    }

    @Test
    void provisionCertificateRenewsTheCertificateOverTheConnectionAndRevokesTheOldOne() throws Exception {
        JsonNode host = addHost("kvm-renew");
        String hostId = host.get("id").asText();
        AgentCertificates certificates = certificates("renew");
        agent(certificates, host.get("agenttoken").asText());
        awaitState(hostId, "Up");
        X509Certificate first = hostCertificate(certificates);

        ApiClient.Reply reply = cloud.admin().call("provisionCertificate", "hostid", hostId);
        assertEquals(200, reply.status(), reply.body());
        JsonNode job = cloud.admin().awaitJob(reply.response("provisionCertificate").get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        assertTrue(job.get("jobresult").get("success").asBoolean(), job.toString());

        X509Certificate renewed = hostCertificate(certificates);
        assertNotEquals(first.getSerialNumber(), renewed.getSerialNumber());
        assertNotEquals(first.getPublicKey(), renewed.getPublicKey(), "a new key pair, made on the host");
        assertTrue(isRevoked(first), "the superseded certificate is revoked");
        assertFalse(isRevoked(renewed));
        // reconnect defaults to true: the agent comes back with the new certificate.
        Deadline.await("the agent reconnected with the renewed certificate", Duration.ofSeconds(20),
                () -> connects.size() >= 2 && hostRow(hostId).get("state").asText().equals("Up"));
        assertTrue(retries.stream().noneMatch(reason -> reason.contains("Exception")), retries.toString());
    }

    @Test
    void listCaCertificateShowsTheCaAgentsPin() throws Exception {
        JsonNode answer = cloud.admin().call("listCaCertificate").response("listCaCertificate");
        X509Certificate ca = Pem.certificate(answer.get("cacertificates").get("certificate").asText());
        assertEquals(cloud.management().caFingerprint(), Fingerprints.sha256(ca));
        assertEquals(431, cloud.admin().call("listCaCertificate", "provider", "vault").status());
    }

    private AgentCertificates certificates(String name) {
        return new AgentCertificates(dir.resolve(name), Optional.of(cloud.management().caFingerprint()));
    }

    private ManagementServerClient agent(AgentCertificates certificates, String token) {
        ClientConfig config = ClientConfig.plain("127.0.0.1", cloud.management().agentPort()).withBackoff(FAST)
                .withCertificates(certificates);
        List<io.rbdstack.spi.agent.handler.AgentCommandHandler<?>> handlers = new ArrayList<>(
                BasicCommandHandlers.handlers("kvm-test", () -> HOST_INFO));
        handlers.addAll(CertificateCommandHandlers.handlers(certificates, "kvm-test"));
        ManagementServerClient client = new ManagementServerClient(config, MessageCodec.load(getClass().getClassLoader()),
                () -> new Hello(token, "kvm-test", "test", HOST_INFO), CommandHandlerRegistry.of(handlers),
                new ConnectionListener() {
                    @Override
                    public void onConnected(String hostId) {
                        connects.add(hostId);
                    }

                    @Override
                    public void onRetryScheduled(String reason, Duration delay) {
                        retries.add(reason);
                    }
                });
        agents.add(client);
        client.start();
        return client;
    }

    private static X509Certificate hostCertificate(AgentCertificates certificates) throws Exception {
        return Pem.keyAndChain(Files.readString(certificates.directory().resolve("host.pem"))).chain().get(0);
    }

    private JsonNode addHost(String name) throws Exception {
        ApiClient admin = cloud.admin();
        String zone = admin.call("createZone", "name", "z-" + name, "dns1", "8.8.8.8", "internaldns1", "10.0.0.2",
                "networktype", "Advanced").response("createZone").get("zone").get("id").asText();
        String pod = admin.call("createPod", "name", "p", "zoneid", zone, "gateway", "10.0.0.1", "netmask",
                "255.255.255.0").response("createPod").get("pod").get("id").asText();
        String cluster = admin.call("addCluster", "clustername", "c", "clustertype", "CloudManaged", "hypervisor", "KVM",
                "zoneid", zone, "podid", pod).response("addCluster").get("cluster").get(0).get("id").asText();
        ApiClient.Reply reply = admin.call("addHost", "zoneid", zone, "podid", pod, "clusterid", cluster, "url",
                "http://" + name, "hypervisor", "KVM");
        assertEquals(200, reply.status(), reply.body());
        return reply.response("addHost").get("host").get(0);
    }

    private static JsonNode hostRow(String hostId) {
        try {
            return cloud.admin().call("listHosts", "id", hostId).response("listHosts").get("host").get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitState(String hostId, String state) {
        Deadline.await("host " + hostId + " is " + state, Duration.ofSeconds(20),
                () -> hostRow(hostId).get("state").asText().equals(state));
    }

    private static Object spentAt(String hostId) throws Exception {
        return queryOne("SELECT agent_token_spent FROM host WHERE uuid = ?", hostId);
    }

    private static long certificateCount(String hostId) throws Exception {
        return ((Number) queryOne("SELECT COUNT(*) FROM host_certificate c JOIN host h ON h.id = c.host_id"
                + " WHERE h.uuid = ?", hostId)).longValue();
    }

    private static boolean isRevoked(X509Certificate certificate) throws Exception {
        return ((Number) queryOne("SELECT COUNT(*) FROM revoked_certificate WHERE serial = ?",
                CertificateAuthority.serialText(certificate))).longValue() == 1;
    }

    private static Object queryOne(String sql, String arg) throws Exception {
        try (Connection connection = cloud.db().connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, arg);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        }
    }
}
