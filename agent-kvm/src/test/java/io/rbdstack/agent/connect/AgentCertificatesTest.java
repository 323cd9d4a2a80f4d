package io.rbdstack.agent.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.protocol.tls.CertificateRequests;
import io.rbdstack.protocol.tls.KeyPairs;
import io.rbdstack.protocol.tls.Pem;
import io.rbdstack.server.ca.CertificateProfile;
import io.rbdstack.server.ca.CertificateRequestVerifier;
import io.rbdstack.spi.agent.CertificateIssued;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the agent accepts as its certificate, and what it refuses to store. */
class AgentCertificatesTest {

    @TempDir
    Path dir;
    private final TestCa server = new TestCa();

    private CertificateIssued issue(String csr) throws Exception {
        X509Certificate certificate = server.ca.issue(CertificateRequestVerifier.verifiedPublicKey(csr),
                CertificateProfile.host("h1"), Duration.ofDays(1));
        return new CertificateIssued("h1", Pem.encode(certificate), Pem.encode(server.ca.certificate()));
    }

    @Test
    void storesTheCertificateOfItsOwnRequestWithTheCaThatSignedTheServer() throws Exception {
        AgentCertificates certificates = new AgentCertificates(dir, Optional.of(server.fingerprint()));
        certificates.storeBootstrap(issue(certificates.newRequest("kvm1")), server.identity.chain());

        assertTrue(certificates.hasCertificate());
        assertEquals(server.ca.certificate(), Pem.certificate(Files.readString(dir.resolve(AgentCertificates.CA_FILE))));
        certificates.certifiedContext(); // loads
    }

    @Test
    void refusesACertificateForAnotherKey() throws Exception {
        AgentCertificates certificates = new AgentCertificates(dir, Optional.empty());
        certificates.newRequest("kvm1");
        String someoneElses = CertificateRequests.create(KeyPairs.generate(), "kvm1");

        IOException e = assertThrows(IOException.class,
                () -> certificates.storeBootstrap(issue(someoneElses), server.identity.chain()));
        assertTrue(e.getMessage().contains("not for the key"), e.getMessage());
        assertFalse(certificates.hasCertificate());
    }

    @Test
    void refusesACaOtherThanTheFingerprintedOneOrOneThatDidNotSignTheServer() throws Exception {
        TestCa other = new TestCa();
        AgentCertificates pinned = new AgentCertificates(dir.resolve("a"), Optional.of(other.fingerprint()));
        String csr = pinned.newRequest("kvm1");
        assertThrows(IOException.class, () -> pinned.storeBootstrap(issue(csr), server.identity.chain()));

        AgentCertificates firstUse = new AgentCertificates(dir.resolve("b"), Optional.empty());
        String request = firstUse.newRequest("kvm1");
        IOException e = assertThrows(IOException.class,
                () -> firstUse.storeBootstrap(issue(request), other.identity.chain()));
        assertTrue(e.getMessage().contains("did not issue its own certificate"), e.getMessage());
        assertFalse(firstUse.hasCertificate());
    }

    @Test
    void installsARenewalOnlyFromThePinnedCa() throws Exception {
        AgentCertificates certificates = new AgentCertificates(dir, Optional.empty());
        certificates.storeBootstrap(issue(certificates.newRequest("kvm1")), server.identity.chain());
        TestCa other = new TestCa();
        String renewal = certificates.newRequest("kvm1");
        X509Certificate foreign = other.ca.issue(CertificateRequestVerifier.verifiedPublicKey(renewal),
                CertificateProfile.host("h1"), Duration.ofDays(1));

        assertThrows(IOException.class, () -> certificates.install(Pem.encode(foreign), Pem.encode(other.ca.certificate())));
        CertificateIssued good = issue(renewal);
        certificates.install(good.certificate(), good.caCertificates());
        assertEquals(Pem.certificate(good.certificate()),
                Pem.keyAndChain(Files.readString(dir.resolve(AgentCertificates.HOST_FILE))).chain().get(0));
    }
}
