package io.rbdstack.protocol.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/**
 * PEM read and written with the JDK alone: what it writes reads back, what BouncyCastle wrote before (agents' key
 * files, the CA's row) reads the same, and bad text is refused with a message that quotes none of it.
 */
class PemTest {

    private static X509Certificate selfSigned(KeyPair keys, String name) throws Exception {
        X500Name subject = new X500Name("CN=" + name);
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject,
                BigInteger.valueOf(System.nanoTime()), new Date(), new Date(System.currentTimeMillis() + 86_400_000L),
                subject, keys.getPublic()).build(new JcaContentSignerBuilder(KeyPairs.SIGNATURE_ALGORITHM)
                .build(keys.getPrivate())));
    }

    private static String bouncyCastlePem(Object... objects) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }

    @Test
    void aKeyAndItsChainReadBackAsWritten() throws Exception {
        KeyPair keys = KeyPairs.generate();
        X509Certificate host = selfSigned(keys, "host");
        X509Certificate ca = selfSigned(KeyPairs.generate(), "ca");
        String pem = Pem.encode(new Pem.KeyAndChain(keys.getPrivate(), List.of(host, ca)));
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem.lines().findFirst().orElse(""));
        assertTrue(pem.lines().allMatch(line -> line.length() <= 64), "lines of at most 64 characters");
        Pem.KeyAndChain read = Pem.keyAndChain(pem);
        assertArrayEquals(keys.getPrivate().getEncoded(), read.key().getEncoded());
        assertEquals(List.of(host, ca), read.chain());
        assertEquals(List.of(host, ca), Pem.certificates(Pem.encode(host) + Pem.encode(ca)));
    }

    @Test
    void whatBouncyCastleWroteReadsTheSame() throws Exception {
        KeyPair ec = KeyPairs.generate();
        X509Certificate certificate = selfSigned(ec, "old");
        String written = bouncyCastlePem(new JcaPKCS8Generator(ec.getPrivate(), null).generate(), certificate);
        Pem.KeyAndChain read = Pem.keyAndChain(written);
        assertArrayEquals(ec.getPrivate().getEncoded(), read.key().getEncoded());
        assertEquals(List.of(certificate), read.chain());
        assertEquals(bouncyCastlePem(certificate), Pem.encode(certificate), "the same text as before");

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        assertEquals("RSA", Pem.privateKey(bouncyCastlePem(new JcaPKCS8Generator(rsaKeys.getPrivate(), null)
                .generate())).getAlgorithm(), "a key of another algorithm than ours");
    }

    @Test
    void lineEndingsBlankLinesAndTextAroundTheBlocksDoNotMatter() throws Exception {
        KeyPair keys = KeyPairs.generate();
        X509Certificate certificate = selfSigned(keys, "crlf");
        String pem = Pem.encode(new Pem.KeyAndChain(keys.getPrivate(), List.of(certificate)));
        String crlf = "explanatory text\r\n\r\n" + pem.replace("\n", "\r\n").replace("-----\r\n", "-----\r\n\r\n")
                + "trailing text\r\n";
        Pem.KeyAndChain read = Pem.keyAndChain(crlf);
        assertArrayEquals(keys.getPrivate().getEncoded(), read.key().getEncoded());
        assertEquals(List.of(certificate), read.chain());
    }

    @Test
    void aBlockWithASecondCertificateInsideIsRefused() throws Exception {
        X509Certificate one = selfSigned(KeyPairs.generate(), "one");
        X509Certificate two = selfSigned(KeyPairs.generate(), "two");
        byte[] both = java.nio.ByteBuffer.allocate(one.getEncoded().length + two.getEncoded().length)
                .put(one.getEncoded()).put(two.getEncoded()).array();
        Pem.InvalidPemException e = assertThrows(Pem.InvalidPemException.class,
                () -> Pem.certificates(Pem.encode(Pem.CERTIFICATE, both)));
        assertEquals("unreadable certificate: " + two.getEncoded().length + " bytes after it in its block",
                e.getMessage());
    }

    @Test
    void aKeyWhoseLineBreaksWereLostIsRefusedWithoutQuotingIt() {
        String key = Pem.encodePrivateKey(KeyPairs.generate().getPrivate());
        String body = key.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
        for (String oneLine : List.of(key.replace("\n", ""), key.replace("\n", " "), key.replace("\n", "\\n"))) {
            Pem.InvalidPemException e = assertThrows(Pem.InvalidPemException.class, () -> Pem.privateKey(oneLine));
            assertFalse(e.getMessage().contains(body.substring(0, 16)), e.getMessage());
            assertTrue(e.getMessage().startsWith("malformed PEM"), e.getMessage());
        }
    }

    @Test
    void badTextIsRefusedWithoutQuotingIt() throws Exception {
        String certificate = Pem.encode(selfSigned(KeyPairs.generate(), "c"));
        String secret = "c2VjcmV0IGtleSBtYXRlcmlhbA";
        List<String> bad = List.of("", "   ", "no pem here " + secret,
                "-----BEGIN CERTIFICATE-----\n" + secret + "!!\n-----END CERTIFICATE-----\n",
                "-----BEGIN CERTIFICATE-----\n" + secret + "\n",
                "-----BEGIN CERTIFICATE-----\n" + secret + "\n-----END PRIVATE KEY-----\n",
                "-----BEGIN CERTIFICATE-----\n" + secret + "\n-----END CERTIFICATE-----\n",
                Pem.encodePrivateKey(KeyPairs.generate().getPrivate()));
        for (String text : bad) {
            Pem.InvalidPemException e = assertThrows(Pem.InvalidPemException.class, () -> Pem.certificates(text),
                    "refused: " + text);
            assertFalse(e.getMessage().contains(secret), e.getMessage());
        }
        assertEquals("expected one certificate, found 2", assertThrows(Pem.InvalidPemException.class,
                () -> Pem.certificate(certificate + certificate)).getMessage());
        assertEquals("expected one PKCS#8 private key", assertThrows(Pem.InvalidPemException.class,
                () -> Pem.privateKey(certificate)).getMessage());
        assertEquals("expected a private key and at least one certificate", assertThrows(
                Pem.InvalidPemException.class, () -> Pem.keyAndChain(certificate)).getMessage());
        assertTrue(assertThrows(Pem.InvalidPemException.class, () -> Pem.privateKey(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")).getMessage()
                .startsWith("unreadable private key"));
    }
}
