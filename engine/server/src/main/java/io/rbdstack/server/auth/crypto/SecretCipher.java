package io.rbdstack.server.auth.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets kept in the database (API secret keys, cephx keys) with AES-256-GCM.
 *
 * <p>Key: PBKDF2WithHmacSHA256 over the operator's {@code db.cloud.encrypt.secret}, salt
 * {@value #KEY_SALT} (UTF-8), {@value #KEY_ITERATIONS} iterations, 256 bits, derived once per
 * instance. A fixed application salt is enough because the input is meant to be a
 * high-entropy secret, and every value gets its own random IV.
 *
 * <p>Stored form: {@code v1:} + Base64(12-byte random IV ‖ ciphertext ‖ 16-byte tag), standard
 * Base64 with padding. {@code null} passes through both ways (nullable columns). Instances are
 * thread-safe.
 *
 * <p>Also the generators for CloudStack-shaped API keys and host tokens, and {@link #sha256Hex}.
 */
public final class SecretCipher {

    /** Prefix of every value {@link #encrypt} writes; a new format gets a new prefix. */
    public static final String PREFIX = "v1:";

    static final String KEY_SALT = "rbdstack/db.cloud.encrypt.secret/v1";
    static final int KEY_ITERATIONS = 210_000;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CANNOT_DECRYPT =
            "a stored secret cannot be decrypted with the configured db.cloud.encrypt.secret";

    private final SecretKeySpec key;

    /** @param encryptSecret the operator's {@code db.cloud.encrypt.secret}; not blank */
    public SecretCipher(String encryptSecret) {
        Objects.requireNonNull(encryptSecret, "db.cloud.encrypt.secret");
        if (encryptSecret.isBlank()) {
            throw new IllegalArgumentException("db.cloud.encrypt.secret must not be empty");
        }
        char[] chars = encryptSecret.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, KEY_SALT.getBytes(StandardCharsets.UTF_8), KEY_ITERATIONS, 256);
        try {
            byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            key = new SecretKeySpec(derived, "AES");
            Arrays.fill(derived, (byte) 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    /** {@code v1:...} for {@code plaintext}, with a fresh random IV; null for null. */
    public String encrypt(String plaintext) {
        if (plaintext == null) {
            return null;
        }
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * The plaintext of a value {@link #encrypt} wrote; null for null.
     *
     * @throws SecretDecryptionException for another key, altered data, or a value not in this format
     */
    public String decrypt(String stored) {
        if (stored == null) {
            return null;
        }
        if (!isEncrypted(stored)) {
            throw new SecretDecryptionException(CANNOT_DECRYPT + ": it is not in rbdstack's " + PREFIX + " format");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new SecretDecryptionException(CANNOT_DECRYPT + ": it is not valid Base64");
        }
        if (raw.length < IV_BYTES + TAG_BITS / 8) {
            throw new SecretDecryptionException(CANNOT_DECRYPT + ": it is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, IV_BYTES));
            byte[] plain = cipher.doFinal(raw, IV_BYTES, raw.length - IV_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretDecryptionException(CANNOT_DECRYPT + " (a different secret was used, or the value was altered)");
        } catch (GeneralSecurityException e) {
            throw new SecretDecryptionException(CANNOT_DECRYPT, e);
        }
    }

    /** Whether {@code value} looks like something {@link #encrypt} wrote (prefix only). */
    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** A new API key shaped like CloudStack's: 64 random bytes, Base64url without padding (86 chars). */
    public static String newApiKey() {
        return randomUrlSafe(64);
    }

    /** A new secret key, the same shape as {@link #newApiKey()}. */
    public static String newSecretKey() {
        return randomUrlSafe(64);
    }

    /** A new host credential: 32 random bytes, Base64url without padding (43 chars). */
    public static String newToken() {
        return randomUrlSafe(32);
    }

    /** Lower-case hex SHA-256 of {@code value}'s UTF-8 bytes, e.g. to store a token's digest. */
    public static String sha256Hex(String value) {
        Objects.requireNonNull(value, "value");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    private static String randomUrlSafe(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
