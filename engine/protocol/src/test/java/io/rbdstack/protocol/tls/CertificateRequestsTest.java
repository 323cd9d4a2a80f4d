package io.rbdstack.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/** Requests encoded with the JDK alone, read back by BouncyCastle (what the server's CA checks them with). */
class CertificateRequestsTest {

    private static PKCS10CertificationRequest read(String pem) throws Exception {
        return new PKCS10CertificationRequest(Pem.certificateRequest(pem));
    }

    @Test
    void aRequestCarriesTheKeyAndTheHostsNameAndItsSignatureChecks() throws Exception {
        KeyPair keys = KeyPairs.generate();
        String pem = CertificateRequests.create(keys, "kvm-1.example.org");
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE REQUEST-----\n"), pem);
        PKCS10CertificationRequest request = read(pem);
        assertTrue(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic())));
        assertEquals(keys.getPublic(), new JcaPKCS10CertificationRequest(request).getPublicKey());
        assertEquals("kvm-1.example.org",
                IETFUtils.valueToString(request.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()));
        assertEquals("1.2.840.10045.4.3.2", request.getSignatureAlgorithm().getAlgorithm().getId());
        assertEquals(0, request.getAttributes().length);
    }

    @Test
    void longNamesTakeLongFormLengthsAndStillCheck() throws Exception {
        KeyPair keys = KeyPairs.generate();
        String name = "h".repeat(300) + ".ex\u00e4mple.org"; // a 2-byte length, and UTF-8 beyond ASCII
        PKCS10CertificationRequest request = read(CertificateRequests.create(keys, name));
        assertTrue(request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(keys.getPublic())));
        assertEquals(name, IETFUtils.valueToString(request.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()));
    }

    @Test
    void anotherKeysSignatureDoesNotCheck() throws Exception {
        PKCS10CertificationRequest request = read(CertificateRequests.create(KeyPairs.generate(), "kvm1"));
        assertFalse(request.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(KeyPairs.generate().getPublic())));
    }

    @Test
    void pemGivesTheRequestsBytesUnderEitherLabelAndNothingElse() throws Exception {
        String pem = CertificateRequests.create(KeyPairs.generate(), "kvm1");
        byte[] der = Pem.certificateRequest(pem);
        assertArrayEquals(der, Pem.certificateRequest(pem.replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST")),
                "the label older tools write");
        String key = Pem.encodePrivateKey(KeyPairs.generate().getPrivate());
        assertEquals("expected one PKCS#10 certificate request",
                assertThrows(Pem.InvalidPemException.class, () -> Pem.certificateRequest(key)).getMessage());
        assertEquals("expected one PKCS#10 certificate request",
                assertThrows(Pem.InvalidPemException.class, () -> Pem.certificateRequest(pem + pem)).getMessage());
    }
}
