package io.rbdstack.spi.storage;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A template's checksum as CloudStack takes it: {@code {SHA-256}hex}, {@code {MD5}hex} (any of
 * CloudStack's algorithm names in braces: MD5, SHA-1, SHA-224, SHA-256, SHA-384, SHA-512), or bare hex,
 * whose algorithm its length tells (32 digits MD5, as CloudStack assumes, 40 SHA-1, 64 SHA-256 …).
 *
 * @param algorithm the JDK's MessageDigest name, e.g. {@code SHA-256}
 * @param hex lower-case hex digits
 */
public record TemplateChecksum(String algorithm, String hex) {

    public TemplateChecksum {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hex, "hex");
    }

    /** Parses a checksum parameter; IllegalArgumentException says what is wrong with it. */
    public static TemplateChecksum parse(String text) {
        String value = text.trim();
        String algorithm = null;
        if (value.startsWith("{")) {
            int end = value.indexOf('}');
            if (end < 0) {
                throw new IllegalArgumentException("the algorithm in braces is not closed: expected e.g."
                        + " {SHA-256}<hex digits>");
            }
            algorithm = canonical(value.substring(1, end));
            value = value.substring(end + 1).trim();
        }
        if (value.isEmpty() || !value.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("the checksum must be hex digits, optionally after an algorithm in"
                    + " braces such as {SHA-256}");
        }
        String byLength = switch (value.length()) {
            case 32 -> "MD5";
            case 40 -> "SHA-1";
            case 56 -> "SHA-224";
            case 64 -> "SHA-256";
            case 96 -> "SHA-384";
            case 128 -> "SHA-512";
            default -> null;
        };
        if (algorithm == null && byLength == null) {
            throw new IllegalArgumentException("a checksum of " + value.length() + " hex digits matches no algorithm"
                    + " (MD5 has 32, SHA-1 40, SHA-256 64, SHA-512 128)");
        }
        if (algorithm != null && !algorithm.equals(byLength)) {
            throw new IllegalArgumentException("a " + algorithm + " checksum cannot have " + value.length()
                    + " hex digits");
        }
        return new TemplateChecksum(algorithm == null ? byLength : algorithm, value.toLowerCase(Locale.ROOT));
    }

    private static String canonical(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT).replace("_", "-");
        return switch (upper) {
            case "MD5" -> "MD5";
            case "SHA-1", "SHA1" -> "SHA-1";
            case "SHA-224", "SHA224" -> "SHA-224";
            case "SHA-256", "SHA256" -> "SHA-256";
            case "SHA-384", "SHA384" -> "SHA-384";
            case "SHA-512", "SHA512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unknown checksum algorithm {" + name
                    + "}: use MD5, SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512");
        };
    }

    /** Whether {@code digest} (raw bytes) is this checksum. */
    public boolean matches(byte[] digest) {
        return HexFormat.of().formatHex(digest).equals(hex);
    }

    /** CloudStack's stored form: {@code {SHA-256}hex}. */
    @Override
    public String toString() {
        return "{" + algorithm + "}" + hex;
    }
}
