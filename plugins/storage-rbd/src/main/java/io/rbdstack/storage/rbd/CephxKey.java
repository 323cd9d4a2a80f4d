package io.rbdstack.storage.rbd;

import io.rbdstack.spi.Secret;
import java.util.Base64;

/**
 * Checks a cephx key and normalises it. A key is what {@code ceph auth get-key client.<user>} prints:
 * base64 of the 28 bytes that Ceph's {@code CryptoKey::encode} (src/auth/Crypto.cc) writes,
 * little-endian:
 *
 * <pre>
 *   u16 type      1 = CEPH_CRYPTO_AES (include/ceph_fs.h); this is why every key starts with "AQ"
 *   utime_t created  u32 seconds + u32 nanoseconds
 *   u16 length    16
 *   16 bytes      the AES-128 secret (AES_KEY_LEN)
 * </pre>
 *
 * That makes 38 base64 characters, plus "==" padding. The key is accepted in the standard alphabet
 * ({@code + /}) and in the URL-safe one ({@code - _}), even both mixed in one key: CloudStack's zone
 * wizard replaces only the first '+' and the first '/'. Padding is optional. The result is always
 * standard base64 with padding, the form Ceph itself prints. Error messages give lengths and field
 * names only, never a character of the key.
 */
final class CephxKey {

    static final int ENCODED_BYTES = 28;
    /** Base64 characters of 28 bytes without padding: 28 * 8 / 6, rounded up. */
    static final int UNPADDED_CHARS = 38;
    private static final int PADDING_CHARS = 2;
    private static final int TYPE_AES = 1;
    private static final int AES_KEY_BYTES = 16;
    private static final int LENGTH_FIELD_OFFSET = 10;

    private CephxKey() {
    }

    static Secret normalise(String text, String parameter) throws InvalidRbdDefinitionException {
        String written = inStandardAlphabet(text, parameter);
        String base64 = written.replace("=", "");
        if (base64.length() != UNPADDED_CHARS) {
            throw notACephxKey(parameter, "it has " + base64.length() + " base64 characters, a cephx key has "
                    + UNPADDED_CHARS + " (" + (UNPADDED_CHARS + PADDING_CHARS) + " with its '==' padding)");
        }
        int padding = written.length() - base64.length();
        if (padding != 0 && padding != PADDING_CHARS) {
            throw notACephxKey(parameter, "it ends in " + padding + " '=' instead of " + PADDING_CHARS + " or none");
        }
        byte[] blob = Base64.getDecoder().decode(base64);
        if (blob.length != ENCODED_BYTES) {
            throw notACephxKey(parameter, "it decodes to " + blob.length + " bytes instead of " + ENCODED_BYTES);
        }
        if (littleEndianU16(blob, 0) != TYPE_AES) {
            throw notACephxKey(parameter, "its type field is not 1 (AES); a cephx key starts with \"AQ\"");
        }
        if (littleEndianU16(blob, LENGTH_FIELD_OFFSET) != AES_KEY_BYTES) {
            throw notACephxKey(parameter, "its length field is not " + AES_KEY_BYTES);
        }
        return Secret.of(Base64.getEncoder().encodeToString(blob));
    }

    /**
     * Maps '-' and '_' to '+' and '/' one character at a time, so a key may mix both alphabets. Checks
     * that '=' comes only at the end.
     */
    private static String inStandardAlphabet(String text, String parameter) throws InvalidRbdDefinitionException {
        if (text.isEmpty()) {
            throw new InvalidRbdDefinitionException(parameter, "the secret is empty");
        }
        StringBuilder base64 = new StringBuilder(text.length());
        boolean inPadding = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                throw notACephxKey(parameter, "it contains whitespace");
            } else if (c == '=') {
                inPadding = true;
                base64.append(c);
            } else if (inPadding) {
                throw notACephxKey(parameter, "it has '=' before its end");
            } else if (c == '-' || c == '_') {
                base64.append(c == '-' ? '+' : '/');
            } else if (isStandardBase64(c)) {
                base64.append(c);
            } else {
                throw notACephxKey(parameter, "it contains a character that is not base64");
            }
        }
        return base64.toString();
    }

    private static boolean isStandardBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static int littleEndianU16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) | (bytes[offset + 1] & 0xff) << 8;
    }

    private static InvalidRbdDefinitionException notACephxKey(String parameter, String why) {
        return new InvalidRbdDefinitionException(parameter, "the secret is not a cephx key (" + why
                + "); give the key that 'ceph auth get-key client.<user>' prints");
    }
}
