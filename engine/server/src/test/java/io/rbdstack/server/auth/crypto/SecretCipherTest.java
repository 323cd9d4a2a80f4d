package io.rbdstack.server.auth.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretCipherTest {

    private static final String OPERATOR_SECRET = "operator-secret Ω";
    private static final SecretCipher CIPHER = new SecretCipher(OPERATOR_SECRET);
    private static final String CEPHX = "AQBxY2Fw+/cephx==Ω";

    /*
     * Computed independently with Python (hashlib + the cryptography package):
     *   key = hashlib.pbkdf2_hmac('sha256', 'operator-secret Ω'.encode(),
     *                             b'rbdstack/db.cloud.encrypt.secret/v1', 210000, 32)
     *   iv = bytes(range(12)); ct = AESGCM(key).encrypt(iv, 'AQBxY2Fw+/cephx==Ω'.encode(), None)
     *   'v1:' + base64.b64encode(iv + ct).decode()
     */
    private static final String KNOWN = "v1:AAECAwQFBgcICQoLk8fRrtvmQa/iJS3qRttXG9CkEZHvTmqCkmvxgQo4aFOWZzE=";

    @Test
    void knownAnswerFromAnIndependentImplementation() {
        assertEquals(CEPHX, CIPHER.decrypt(KNOWN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", CEPHX, "wZvi3RxtwyFbZd1TErLoAInu9LqAFugEqSguVzugpETNB6YWUiTOGBiyQ9AHfjS3y8kgnm1e7Iddy_0YkWIylQ",
        "日本語 😀 \u0000 \n"})
    void roundTrip(String plaintext) {
        String stored = CIPHER.encrypt(plaintext);
        assertTrue(stored.startsWith("v1:"), stored);
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        assertEquals(12 + plaintext.getBytes(StandardCharsets.UTF_8).length + 16, raw.length);
        assertEquals(plaintext, CIPHER.decrypt(stored));
    }

    @Test
    void longValueRoundTrips() {
        String big = "x".repeat(100_000);
        assertEquals(big, CIPHER.decrypt(CIPHER.encrypt(big)));
    }

    @Test
    void nullPassesThrough() {
        assertNull(CIPHER.encrypt(null));
        assertNull(CIPHER.decrypt(null));
    }

    @Test
    void everyValueGetsItsOwnIv() {
        Set<String> outputs = new HashSet<>();
        Set<ByteBuffer> ivs = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String stored = CIPHER.encrypt(CEPHX);
            outputs.add(stored);
            byte[] raw = Base64.getDecoder().decode(stored.substring(3));
            ivs.add(ByteBuffer.wrap(raw, 0, 12).slice());
        }
        assertEquals(2000, outputs.size());
        assertEquals(2000, ivs.size());
    }

    @Test
    void sameSecretGivesTheSameKey() {
        SecretCipher other = new SecretCipher(OPERATOR_SECRET);
        assertEquals(CEPHX, other.decrypt(CIPHER.encrypt(CEPHX)));
        assertEquals(CEPHX, CIPHER.decrypt(other.encrypt(CEPHX)));
    }

    @Test
    void wrongSecretCannotDecrypt() {
        String stored = CIPHER.encrypt(CEPHX);
        SecretCipher wrong = new SecretCipher("operator-secret Ω ");
        SecretDecryptionException e = assertThrows(SecretDecryptionException.class, () -> wrong.decrypt(stored));
        assertTrue(e.getMessage().contains("cannot be decrypted with the configured db.cloud.encrypt.secret"),
                e.getMessage());
        assertFalse(e.getMessage().contains(stored.substring(3)), "must not echo the stored value");
        assertFalse(e.getMessage().contains(CEPHX));
    }

    @Test
    void flippingAnyByteIsDetected() {
        String stored = CIPHER.encrypt(CEPHX);
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        for (int i = 0; i < raw.length; i++) { // IV, ciphertext and tag alike
            byte[] tampered = raw.clone();
            tampered[i] ^= 0x01;
            String bad = "v1:" + Base64.getEncoder().encodeToString(tampered);
            SecretDecryptionException e = assertThrows(SecretDecryptionException.class, () -> CIPHER.decrypt(bad),
                    "byte " + i);
            assertTrue(e.getMessage().contains("db.cloud.encrypt.secret"));
        }
    }

    @Test
    void truncatedOrExtendedIsDetected() {
        byte[] raw = Base64.getDecoder().decode(CIPHER.encrypt(CEPHX).substring(3));
        List<byte[]> variants = new ArrayList<>();
        variants.add(Arrays.copyOf(raw, raw.length - 1));
        variants.add(Arrays.copyOf(raw, raw.length + 1));
        variants.add(Arrays.copyOf(raw, 28)); // IV + tag length, no ciphertext
        variants.add(Arrays.copyOf(raw, 27));
        variants.add(new byte[0]);
        for (byte[] v : variants) {
            String bad = "v1:" + Base64.getEncoder().encodeToString(v);
            assertThrows(SecretDecryptionException.class, () -> CIPHER.decrypt(bad), "length " + v.length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain-cephx-key==", "v2:AAAA", "V1:AAAA", "v1:***not base64***",
        "ENC(oldJasyptValue)"})
    void foreignFormatsAreRefused(String stored) {
        SecretDecryptionException e = assertThrows(SecretDecryptionException.class, () -> CIPHER.decrypt(stored));
        assertTrue(e.getMessage().startsWith("a stored secret cannot be decrypted with the configured"
                + " db.cloud.encrypt.secret"), e.getMessage());
        assertFalse(!stored.isEmpty() && e.getMessage().contains(stored));
    }

    @Test
    void isEncryptedLooksAtThePrefix() {
        assertTrue(SecretCipher.isEncrypted(CIPHER.encrypt("x")));
        assertFalse(SecretCipher.isEncrypted("AQBxY2Fw"));
        assertFalse(SecretCipher.isEncrypted(null));
    }

    @Test
    void blankSecretIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(""));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher("  "));
        assertThrows(NullPointerException.class, () -> new SecretCipher(null));
    }

    @Test
    void safeForConcurrentUse() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String value = "secret-" + i;
                results.add(pool.submit(() -> value.equals(CIPHER.decrypt(CIPHER.encrypt(value)))));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void apiAndSecretKeysAreCloudStackShaped() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            for (String key : new String[] {SecretCipher.newApiKey(), SecretCipher.newSecretKey()}) {
                assertTrue(key.matches("[A-Za-z0-9_-]{86}"), key);
                assertEquals(64, Base64.getUrlDecoder().decode(key).length);
                assertTrue(seen.add(key));
            }
        }
    }

    @Test
    void tokensAreUrlSafe() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            String token = SecretCipher.newToken();
            assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
            assertEquals(32, Base64.getUrlDecoder().decode(token).length);
            assertTrue(seen.add(token));
        }
    }

    @Test
    void sha256HexKnownAnswers() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", SecretCipher.sha256Hex(""));
        // python3: hashlib.sha256('héllo'.encode()).hexdigest()
        assertEquals("3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179",
                SecretCipher.sha256Hex("héllo"));
    }
}
