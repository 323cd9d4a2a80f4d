package io.rbdstack.protocol.tls;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * PEM text of certificates, private keys (PKCS#8) and certificate requests, the form they take on
 * the wire, in files and in the database. Errors name what was expected, never quote the text.
 *
 * <p>Read and written with the JDK alone: an agent reads its key and certificates at every start, and BouncyCastle's
 * signed jar, once a class of it is loaded, keeps its manifest's 6,900 per-class digests in the heap (7,000 parsed
 * attribute maps, about 4 MiB of an idle agent's 150 MiB target). BouncyCastle stays in the server, where the JDK
 * has no API: its CA, and checking certificate requests.
 */
public final class Pem {

    static final String CERTIFICATE = "CERTIFICATE";
    static final String PRIVATE_KEY = "PRIVATE KEY";
    static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    /**
     * Key algorithms a PKCS#8 key is tried as, ours (EC) first: PKCS#8 names its algorithm by an OID only, and each of
     * the JDK's key factories refuses a key of another algorithm.
     */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "RSASSA-PSS", "DSA", "Ed25519", "Ed448",
            "X25519", "X448");
    /** What a block's label may be (RFC 7468 labels are upper-case words); anything else is never quoted. */
    private static final Pattern LABEL = Pattern.compile("[A-Z0-9]+( [A-Z0-9]+)*");

    /** One PEM block: its type (the word after BEGIN) and its DER bytes. */
    record Block(String type, byte[] der) {
    }

    private Pem() {
    }

    /** A certificate as PEM. */
    public static String encode(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    /** PKCS#8 ("PRIVATE KEY"), unencrypted: callers encrypt it or keep it in a file only its owner reads. */
    public static String encodePrivateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
            throw new IllegalStateException("cannot write a " + key.getAlgorithm() + " private key in format "
                    + key.getFormat() + " as PKCS#8");
        }
        return encode(PRIVATE_KEY, key.getEncoded());
    }

    /** Every certificate in {@code pem}, in order; at least one. */
    public static List<X509Certificate> certificates(String pem) throws InvalidPemException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(pem)) {
            if (!block.type().equals(CERTIFICATE)) {
                throw new InvalidPemException("expected only certificates, found a " + block.type());
            }
            certificates.add(certificate(block));
        }
        if (certificates.isEmpty()) {
            throw new InvalidPemException("expected a PEM certificate, found none");
        }
        return certificates;
    }

    public static X509Certificate certificate(String pem) throws InvalidPemException {
        List<X509Certificate> all = certificates(pem);
        if (all.size() != 1) {
            throw new InvalidPemException("expected one certificate, found " + all.size());
        }
        return all.get(0);
    }

    public static PrivateKey privateKey(String pem) throws InvalidPemException {
        List<Block> all = blocks(pem);
        if (all.size() != 1 || !all.get(0).type().equals(PRIVATE_KEY)) {
            throw new InvalidPemException("expected one PKCS#8 private key");
        }
        return privateKey(all.get(0));
    }

    /** A private key and its certificate chain in one PEM text (one file, so they are replaced together). */
    public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
        @Override
        public String toString() {
            return "KeyAndChain[key=******, chain=" + chain.size() + " certificate(s)]";
        }
    }

    public static String encode(KeyAndChain keyAndChain) {
        StringBuilder text = new StringBuilder(encodePrivateKey(keyAndChain.key()));
        keyAndChain.chain().forEach(certificate -> text.append(encode(certificate)));
        return text.toString();
    }

    public static KeyAndChain keyAndChain(String pem) throws InvalidPemException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        for (Block block : blocks(pem)) {
            if (block.type().equals(PRIVATE_KEY) && key == null) {
                key = privateKey(block);
            } else if (block.type().equals(CERTIFICATE)) {
                chain.add(certificate(block));
            } else {
                throw new InvalidPemException("expected one private key and certificates, found a " + block.type());
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new InvalidPemException("expected a private key and at least one certificate");
        }
        return new KeyAndChain(key, chain);
    }

    /** One block of {@code type} as PEM, its Base64 in lines of 64 characters (RFC 7468). */
    static String encode(String type, byte[] der) {
        return BEGIN + type + DASHES + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n"
                + END + type + DASHES + "\n";
    }

    /**
     * The DER bytes of the one PKCS#10 request {@code pem} holds ("CERTIFICATE REQUEST", or "NEW CERTIFICATE REQUEST"
     * as older tools, Netscape and some OpenSSL versions, label it); its contents are not checked here.
     */
    public static byte[] certificateRequest(String pem) throws InvalidPemException {
        List<Block> all = blocks(pem);
        if (all.size() != 1 || !List.of(CERTIFICATE_REQUEST, "NEW " + CERTIFICATE_REQUEST).contains(all.get(0).type())) {
            throw new InvalidPemException("expected one PKCS#10 certificate request");
        }
        return all.get(0).der();
    }

    /** The blocks of {@code pem} in order; text between them is ignored, as explanatory text (RFC 7468). */
    static List<Block> blocks(String pem) throws InvalidPemException {
        if (pem == null || pem.isBlank()) {
            throw new InvalidPemException("expected PEM text, got nothing");
        }
        List<Block> blocks = new ArrayList<>();
        String type = null;
        StringBuilder base64 = new StringBuilder();
        for (String line : pem.split("\r?\n|\r")) {
            String trimmed = line.strip();
            if (type == null) {
                if (trimmed.startsWith(BEGIN)) {
                    type = label(trimmed, BEGIN);
                    base64.setLength(0);
                }
            } else if (trimmed.startsWith(END)) {
                if (!label(trimmed, END).equals(type)) {
                    throw new InvalidPemException("malformed PEM: a " + type + " block ends as another");
                }
                try {
                    blocks.add(new Block(type, Base64.getDecoder().decode(base64.toString())));
                } catch (IllegalArgumentException e) {
                    throw new InvalidPemException("malformed PEM: the " + type + " block is not Base64");
                }
                type = null;
            } else {
                base64.append(trimmed);
            }
        }
        if (type != null) {
            throw new InvalidPemException("malformed PEM: the " + type + " block has no end");
        }
        return blocks;
    }

    /**
     * The label of a boundary line. A whole block on one line (its line breaks lost) is refused here, without quoting
     * it: what lies between its first BEGIN and last dashes would be the key's Base64.
     */
    private static String label(String line, String prefix) throws InvalidPemException {
        if (!line.endsWith(DASHES) || line.length() < prefix.length() + DASHES.length()) {
            throw new InvalidPemException("malformed PEM: a boundary line without its closing dashes");
        }
        String label = line.substring(prefix.length(), line.length() - DASHES.length());
        if (label.length() > 64 || !LABEL.matcher(label).matches()) {
            throw new InvalidPemException("malformed PEM: a boundary line whose label is not one (a block on one line?)");
        }
        return label;
    }

    /** The block's one certificate: bytes after it are refused (they would be a certificate silently dropped). */
    private static X509Certificate certificate(Block block) throws InvalidPemException {
        ByteArrayInputStream der = new ByteArrayInputStream(block.der());
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(der);
        } catch (CertificateException | RuntimeException e) {
            throw new InvalidPemException("unreadable certificate: " + e.getMessage());
        }
        if (der.available() > 0) {
            throw new InvalidPemException("unreadable certificate: " + der.available() + " bytes after it in its block");
        }
        return certificate;
    }

    /** The key, of whichever algorithm's factory takes it; when none does, why the EC one (ours) refused it. */
    private static PrivateKey privateKey(Block block) throws InvalidPemException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(block.der());
        String asEc = null;
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | RuntimeException e) {
                if (asEc == null) {
                    asEc = e.getMessage(); // the JDK's reasons name what is wrong, never the key's bytes
                }
            }
        }
        throw new InvalidPemException("unreadable private key: not a PKCS#8 key of " + KEY_ALGORITHMS + " (as EC: "
                + asEc + ")");
    }

    /** PEM text that is not what it should be. */
    public static final class InvalidPemException extends Exception {
        public InvalidPemException(String message) {
            super(message);
        }
    }
}
