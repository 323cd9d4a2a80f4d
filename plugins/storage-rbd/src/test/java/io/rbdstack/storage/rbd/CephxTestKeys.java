package io.rbdstack.storage.rbd;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Real cephx keys, made with {@code ceph-authtool --gen-print-key} (Ceph 16.2) for these tests and
 * used nowhere else, picked for the characters that broke CloudStack. Also the ways clients write
 * them, and the check that an error message holds no piece of a secret.
 */
final class CephxTestKeys {

    /** Neither '+' nor '/'. */
    static final String PLAIN = "AQAVpgZrOOoSDxAAKk2boKcuyQnyMa7dRptNOw==";
    /** Four '/', two of them doubled ("//"): the shape of apache/cloudstack#4147. */
    static final String MANY_SLASHES = "AQAfpgZrslWDBhAA3vOY//bMfF1//V6Rhcy9ZA==";
    /** Three '/' and two '+', the first '/' right after "AQA". */
    static final String SLASHES_AND_PLUSES = "AQA/pgZrUK+zHxAA+/qri9Mjn8/ML4OshXsh2g==";
    /** "/+" and "+/" runs. */
    static final String PLUS_SLASH_RUNS = "AQBDpgZr/+rAKBAAROCHg2RiQS/bb6+/SkoCWA==";
    /** Three '+', two of them doubled. */
    static final String MANY_PLUSES = "AQAepgZrTsDBLRAAg0e67tgiQMQQ+prlKHo++g==";

    static final List<String> ALL = List.of(PLAIN, MANY_SLASHES, SLASHES_AND_PLUSES, PLUS_SLASH_RUNS, MANY_PLUSES);

    /** Shortest piece of a secret that a message must not contain; shorter runs occur in any text. */
    private static final int LEAK_WINDOW = 5;

    private CephxTestKeys() {
    }

    static String urlSafe(String key) {
        return key.replace('+', '-').replace('/', '_');
    }

    static String unpadded(String key) {
        return key.replace("=", "");
    }

    static String percentEncoded(String key) {
        return key.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D");
    }

    /** Base64 of a blob shaped like CryptoKey::encode's, with the given type and secret length. */
    static String blob(int type, int secretLength) {
        ByteBuffer blob = ByteBuffer.allocate(2 + 8 + 2 + secretLength).order(ByteOrder.LITTLE_ENDIAN);
        blob.putShort((short) type).putInt(1_700_000_000).putInt(0).putShort((short) secretLength);
        for (int i = 0; i < secretLength; i++) {
            blob.put((byte) (i * 37 + 11));
        }
        return Base64.getEncoder().encodeToString(blob.array());
    }

    /**
     * Fails if the message holds any run of {@value #LEAK_WINDOW} characters of the secret, in the
     * form given or in either base64 alphabet.
     */
    static void assertNoPieceOf(String secret, String message) {
        if (secret == null || secret.isEmpty()) {
            return;
        }
        List<String> forms = new ArrayList<>(List.of(secret, urlSafe(secret),
                secret.replace('-', '+').replace('_', '/')));
        for (String form : forms) {
            if (form.length() < LEAK_WINDOW) {
                assertFalse(message.contains(form), () -> "message contains the secret: " + message);
                continue;
            }
            for (int i = 0; i + LEAK_WINDOW <= form.length(); i++) {
                String piece = form.substring(i, i + LEAK_WINDOW);
                assertFalse(message.contains(piece), () -> "message contains '" + piece + "' of the secret: " + message);
            }
        }
    }
}
