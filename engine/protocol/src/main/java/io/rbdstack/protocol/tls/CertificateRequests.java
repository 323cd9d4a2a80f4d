package io.rbdstack.protocol.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;

/**
 * PKCS#10 certificate requests (RFC 2986), made by an agent for a key pair that never leaves its host; the server
 * takes from one only the public key, once it has checked the signature (its CA, with BouncyCastle).
 *
 * <p>Encoded with the JDK alone, in the one shape the agent sends (a CN, the key, no attributes, ECDSA with SHA-256):
 * the JDK has no public API for requests, and BouncyCastle on the agent's class path cost an agent that made one
 * about 5 MiB for as long as it ran (its classes and static tables, its signed jar's per-class digests), out of the
 * idle agent's 150 MiB target.
 */
public final class CertificateRequests {

    /** id-at-commonName, 2.5.4.3. */
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    /** The JDK's name of the signature the request carries, and its OID below. */
    private static final String SIGNATURE = "SHA256withECDSA";
    /** ecdsa-with-SHA256, 1.2.840.10045.4.3.2, parameters absent (RFC 5758). */
    private static final byte[] ECDSA_WITH_SHA256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04,
            0x03, 0x02};
    private static final int INTEGER = 0x02;
    private static final int BIT_STRING = 0x03;
    private static final int UTF8_STRING = 0x0c;
    private static final int SEQUENCE = 0x30;
    private static final int SET = 0x31;
    /** [0] IMPLICIT SET OF Attribute, constructed. */
    private static final int ATTRIBUTES = 0xa0;

    private CertificateRequests() {
    }

    /** A PEM request for {@code keys} (an EC key pair from {@link KeyPairs}), its subject CN the host's name. */
    public static String create(KeyPair keys, String hostname) {
        byte[] subject = der(SEQUENCE, der(SET, der(SEQUENCE, COMMON_NAME,
                der(UTF8_STRING, hostname.getBytes(StandardCharsets.UTF_8)))));
        byte[] info = der(SEQUENCE, der(INTEGER, new byte[] {0}), subject, keys.getPublic().getEncoded(),
                der(ATTRIBUTES));
        byte[] signature;
        try {
            Signature signer = Signature.getInstance(SIGNATURE);
            signer.initSign(keys.getPrivate());
            signer.update(info);
            signature = signer.sign(); // DER already: SEQUENCE { r, s }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate request", e);
        }
        byte[] bits = new byte[signature.length + 1]; // the first byte: no unused bits
        System.arraycopy(signature, 0, bits, 1, signature.length);
        return Pem.encode(Pem.CERTIFICATE_REQUEST, der(SEQUENCE, info, der(SEQUENCE, ECDSA_WITH_SHA256),
                der(BIT_STRING, bits)));
    }

    /** A DER tag, definite length and contents (X.690 8.1). */
    private static byte[] der(int tag, byte[]... contents) {
        int length = 0;
        for (byte[] part : contents) {
            length += part.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        for (byte[] part : contents) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
