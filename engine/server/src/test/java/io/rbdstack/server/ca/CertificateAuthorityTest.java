package io.rbdstack.server.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.protocol.tls.CertificateRequests;
import io.rbdstack.protocol.tls.KeyPairs;
import io.rbdstack.protocol.tls.Pem;
import io.rbdstack.protocol.tls.PinnedCaTrust;
import io.rbdstack.protocol.tls.TlsContexts;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The CA's issue, chain, expiry and revocation rules, without a database. */
class CertificateAuthorityTest {

    private final CertificateAuthority ca = CertificateAuthority.generate("test CA", Clock.systemUTC());

    @Test
    void theCaCertificateIsASelfSignedCaForTenYears() throws Exception {
        X509Certificate certificate = ca.certificate();
        certificate.verify(certificate.getPublicKey());
        assertEquals(0, certificate.getBasicConstraints(), "a CA that issues end entities only");
        assertTrue(certificate.getKeyUsage()[5], "keyCertSign");
        Duration validity = Duration.between(certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
        assertEquals(CertificateAuthority.CA_VALIDITY.plus(CertificateAuthority.CLOCK_SKEW), validity);
    }

    @Test
    void aHostCertificateChainsToTheCaAndIsForClientsOnly() throws Exception {
        KeyPair keys = KeyPairs.generate();
        X509Certificate host = ca.issue(keys.getPublic(), CertificateProfile.host("6f1c2a9e"), Duration.ofDays(365));

        assertEquals("CN=6f1c2a9e", host.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), host.getExtendedKeyUsage(), "clientAuth only");
        assertEquals(-1, host.getBasicConstraints(), "not a CA");
        assertTrue(ca.issued(host));
        PinnedCaTrust.of(ca.certificate()).checkClientTrusted(new X509Certificate[] {host, ca.certificate()}, "EC");
        CertificateException asServer = assertThrows(CertificateException.class, () -> PinnedCaTrust
                .of(ca.certificate()).checkServerTrusted(new X509Certificate[] {host, ca.certificate()}, "UNKNOWN"));
        assertTrue(asServer.getMessage().contains("Extended key usage"), asServer.getMessage());
    }

    @Test
    void aManagementServerCertificateCarriesTheFixedNameAndItsAddresses() throws Exception {
        ManagementServerIdentity identity = ManagementServerIdentity.issue(ca, Duration.ofDays(30));
        X509Certificate server = identity.certificate();

        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.getExtendedKeyUsage(), "serverAuth only");
        List<String> names = server.getSubjectAlternativeNames().stream().map(name -> name.get(1).toString()).toList();
        assertTrue(names.contains(TlsContexts.MANAGEMENT_SERVER_NAME), names.toString());
        assertTrue(names.contains("localhost"), names.toString());
        assertTrue(names.contains("127.0.0.1"), names.toString());
        PinnedCaTrust.of(ca.certificate()).checkServerTrusted(identity.chain(), "UNKNOWN");
        assertFalse(identity.toString().contains("PRIVATE"), identity.toString());
    }

    @Test
    void anotherCasCertificateIsNotTrusted() throws Exception {
        CertificateAuthority other = CertificateAuthority.generate("test CA", Clock.systemUTC());
        X509Certificate foreign = other.issue(KeyPairs.generate().getPublic(), CertificateProfile.host("h"),
                Duration.ofDays(1));

        assertFalse(ca.issued(foreign), "same name, other key");
        assertThrows(CertificateException.class, () -> PinnedCaTrust.of(ca.certificate())
                .checkClientTrusted(new X509Certificate[] {foreign, other.certificate()}, "EC"));
    }

    @Test
    void anExpiredCertificateIsNotTrusted() throws Exception {
        Clock lastYear = Clock.fixed(Instant.now().minus(Duration.ofDays(400)), ZoneOffset.UTC);
        CertificateAuthority old = CertificateAuthority.of(ca.certificate(), ca.privateKey(), lastYear);
        X509Certificate expired = old.issue(KeyPairs.generate().getPublic(), CertificateProfile.host("h"),
                Duration.ofDays(365));

        assertTrue(ca.issued(expired));
        assertThrows(CertificateException.class, () -> PinnedCaTrust.of(ca.certificate())
                .checkClientTrusted(new X509Certificate[] {expired, ca.certificate()}, "EC"));
    }

    @Test
    void noCertificateOutlivesTheCa() {
        X509Certificate longest = ca.issue(KeyPairs.generate().getPublic(), CertificateProfile.host("h"),
                Duration.ofDays(100_000));
        assertEquals(ca.certificate().getNotAfter(), longest.getNotAfter());
        assertThrows(IllegalArgumentException.class, () -> ca.issue(KeyPairs.generate().getPublic(),
                CertificateProfile.host("h"), Duration.ZERO));
    }

    @Test
    void serialsAreRandomAndPositive() {
        X509Certificate a = ca.issue(KeyPairs.generate().getPublic(), CertificateProfile.host("h"), Duration.ofDays(1));
        X509Certificate b = ca.issue(KeyPairs.generate().getPublic(), CertificateProfile.host("h"), Duration.ofDays(1));
        assertNotEquals(a.getSerialNumber(), b.getSerialNumber());
        assertEquals(1, a.getSerialNumber().signum());
        assertTrue(a.getSerialNumber().bitLength() >= 120, "unpredictable serials");
    }

    @Test
    void aRevokedCertificateIsRefusedAndACheckThatFailsRefusesToo() throws Exception {
        X509Certificate host = ca.issue(KeyPairs.generate().getPublic(), CertificateProfile.host("h"), Duration.ofDays(1));
        X509Certificate[] chain = {host, ca.certificate()};
        Set<String> revoked = ConcurrentHashMap.newKeySet();
        RevocationCheckingTrustManager trust = new RevocationCheckingTrustManager(PinnedCaTrust.of(ca.certificate()),
                certificate -> revoked.contains(CertificateAuthority.serialText(certificate)));

        trust.checkClientTrusted(chain, "EC");
        revoked.add(CertificateAuthority.serialText(host));
        CertificateException e = assertThrows(CertificateException.class, () -> trust.checkClientTrusted(chain, "EC"));
        assertTrue(e.getMessage().endsWith("is revoked"), e.getMessage());

        RevocationCheckingTrustManager broken = new RevocationCheckingTrustManager(PinnedCaTrust.of(ca.certificate()),
                certificate -> {
                    throw new IllegalStateException("database down");
                });
        assertThrows(CertificateException.class, () -> broken.checkClientTrusted(chain, "EC"), "fails closed");
    }

    @Test
    void aCertificateRequestGivesItsKeyOnlyWithAValidSignature() throws Exception {
        KeyPair keys = KeyPairs.generate();
        String csr = CertificateRequests.create(keys, "kvm1");
        assertEquals(keys.getPublic(), CertificateRequestVerifier.verifiedPublicKey(csr));

        assertThrows(Pem.InvalidPemException.class, () -> CertificateRequestVerifier.verifiedPublicKey("not PEM"));
        assertThrows(Pem.InvalidPemException.class, () -> CertificateRequestVerifier.verifiedPublicKey(
                Pem.encode(ca.certificate())));

        byte[] der = Pem.certificateRequest(csr);
        String name = new String(der, StandardCharsets.ISO_8859_1);
        der[name.indexOf("kvm1") + 3] = '2'; // the subject signed for, changed after signing
        String altered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
        assertEquals("the certificate request's signature does not match its key", assertThrows(
                Pem.InvalidPemException.class, () -> CertificateRequestVerifier.verifiedPublicKey(altered)).getMessage());
    }

    @Test
    void aKeyAndItsChainRoundTripThroughPem() throws Exception {
        KeyPair keys = KeyPairs.generate();
        X509Certificate host = ca.issue(keys.getPublic(), CertificateProfile.host("h"), Duration.ofDays(1));
        Pem.KeyAndChain read = Pem.keyAndChain(Pem.encode(new Pem.KeyAndChain(keys.getPrivate(),
                List.of(host, ca.certificate()))));
        assertEquals(keys.getPrivate(), read.key());
        assertEquals(List.of(host, ca.certificate()), read.chain());
        assertTrue(Pem.encodePrivateKey(keys.getPrivate()).startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8");
        assertFalse(read.toString().contains("BEGIN"), read.toString());
    }

    @Test
    void addressesOfTheManagementServerAreIpSans() throws Exception {
        X509Certificate server = ca.issue(KeyPairs.generate().getPublic(), CertificateProfile.managementServer(
                List.of("ms1.example.com"), List.of(InetAddress.getByName("::1"), InetAddress.getByName("10.1.2.3"))),
                Duration.ofDays(1));
        List<String> names = server.getSubjectAlternativeNames().stream().map(name -> name.get(1).toString()).toList();
        assertTrue(names.containsAll(List.of(TlsContexts.MANAGEMENT_SERVER_NAME, "ms1.example.com", "10.1.2.3")),
                names.toString());
    }
}
