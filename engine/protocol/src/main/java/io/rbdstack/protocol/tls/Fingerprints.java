package io.rbdstack.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 fingerprints of certificates as {@code openssl x509 -fingerprint -sha256} prints them
 * (upper-case hex pairs joined by colons), so an admin can compare them by eye.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /** Whether {@code fingerprint} (any case, colons optional, an optional "sha256:" prefix) is the certificate's. */
    public static boolean matches(String fingerprint, X509Certificate certificate) {
        return normalize(fingerprint).equals(normalize(sha256(certificate)));
    }

    /** Whether {@code fingerprint} looks like a SHA-256 fingerprint at all. */
    public static boolean isWellFormed(String fingerprint) {
        return normalize(fingerprint).matches("[0-9a-f]{64}");
    }

    private static String normalize(String fingerprint) {
        String s = fingerprint.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("sha256:")) {
            s = s.substring("sha256:".length());
        }
        return s.replace(":", "");
    }
}
