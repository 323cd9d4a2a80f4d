package io.rbdstack.server.auth.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Login passwords, stored as {@code pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>}
 * (PBKDF2WithHmacSHA256, random 16-byte salt, 32-byte hash, standard Base64 with padding).
 * The cost is part of the stored value, so it can rise later: {@link #matches} uses the stored
 * cost and {@link #needsRehash} says when to re-hash at the next successful login.
 * Neither passwords nor stored values ever appear in messages; wiping the caller's
 * {@code char[]} is the caller's job.
 */
public final class PasswordHasher {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int MIN_ITERATIONS = 210_000;

    private static final String ID = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    // Bounds for stored values: a corrupt row must not pin a login thread for minutes.
    private static final int MAX_STORED_ITERATIONS = 10_000_000;
    private static final int MIN_STORED_BYTES = 8;
    private static final int MAX_STORED_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;

    /** Hashes new passwords with {@link #MIN_ITERATIONS}. */
    public PasswordHasher() {
        this(MIN_ITERATIONS);
    }

    /** Hashes new passwords with {@code iterations}, at least {@link #MIN_ITERATIONS}. */
    public PasswordHasher(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_STORED_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be between " + MIN_ITERATIONS + " and "
                    + MAX_STORED_ITERATIONS + ", not " + iterations);
        }
        this.iterations = iterations;
    }

    /** The stored form of a new, non-empty password, with a fresh random salt. */
    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("password must not be empty");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder();
        String encoded = ID + '$' + iterations + '$' + b64.encodeToString(salt) + '$' + b64.encodeToString(hash);
        Arrays.fill(hash, (byte) 0);
        return encoded;
    }

    /**
     * Whether {@code password} is the one {@code encoded} was made from (constant-time compare).
     * An empty password never matches.
     *
     * @throws IllegalArgumentException if {@code encoded} is not a value {@link #hash} writes
     */
    public boolean matches(char[] password, String encoded) {
        Objects.requireNonNull(password, "password");
        Stored stored = parse(encoded);
        if (password.length == 0) {
            return false;
        }
        byte[] candidate = pbkdf2(password, stored.salt, stored.iterations, stored.hash.length);
        boolean equal = MessageDigest.isEqual(candidate, stored.hash);
        Arrays.fill(candidate, (byte) 0);
        return equal;
    }

    /** Whether {@code encoded} was made with fewer iterations than this hasher uses now. */
    public boolean needsRehash(String encoded) {
        return parse(encoded).iterations < iterations;
    }

    private record Stored(int iterations, byte[] salt, byte[] hash) {
    }

    private static Stored parse(String encoded) {
        if (encoded == null) {
            throw malformed("it is null");
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !ID.equals(parts[0])) {
            throw malformed("expected " + ID + "$<iterations>$<salt>$<hash>");
        }
        int iterations = parseIterations(parts[1]);
        byte[] salt = decode(parts[2], "salt");
        byte[] hash = decode(parts[3], "hash");
        return new Stored(iterations, salt, hash);
    }

    private static int parseIterations(String text) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("the iteration count is not a number");
        }
        int n = Integer.parseInt(text);
        if (n < 1 || n > MAX_STORED_ITERATIONS) {
            throw malformed("the iteration count is out of range 1.." + MAX_STORED_ITERATIONS);
        }
        return n;
    }

    private static byte[] decode(String text, String what) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed("the " + what + " is not Base64");
        }
        if (bytes.length < MIN_STORED_BYTES || bytes.length > MAX_STORED_BYTES) {
            throw malformed("the " + what + " must be " + MIN_STORED_BYTES + ".." + MAX_STORED_BYTES + " bytes");
        }
        return bytes;
    }

    private static IllegalArgumentException malformed(String why) {
        return new IllegalArgumentException("stored password hash is malformed: " + why);
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
