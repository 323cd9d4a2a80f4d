package io.rbdstack.agent.ceph;

import io.rbdstack.spi.Secret;
import java.util.Arrays;
import java.util.Base64;

/**
 * A cephx secret key, decoded and checked before it reaches librados or libvirt.
 *
 * <p>Why check first: librados prints a key it cannot decode verbatim on stderr ("auth: failed to
 * decode key '…'"), so a malformed key must never reach it. Standard and URL-safe base64 are both
 * accepted, with or without padding; librados is always given the standard form, libvirt the raw
 * bytes. The encoded form is Ceph's CryptoKey: u16 type, u32 seconds + u32 nanoseconds created,
 * u16 secret length, then the secret.
 */
public final class CephKey {

    private static final int HEADER_BYTES = 12;
    private static final int MIN_SECRET_BYTES = 16;

    private final byte[] bytes;

    private CephKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static CephKey parse(Secret key) throws InvalidCephKeyException {
        String text = key.reveal().strip();
        if (text.isEmpty()) {
            throw new InvalidCephKeyException("the cephx key is empty");
        }
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        byte[] decoded;
        try {
            decoded = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidCephKeyException("the cephx key is not base64 (standard or URL-safe)");
        }
        if (decoded.length < HEADER_BYTES + MIN_SECRET_BYTES) {
            throw new InvalidCephKeyException("the cephx key is too short: " + decoded.length + " bytes decoded");
        }
        int type = u16(decoded, 0);
        int secretLength = u16(decoded, 10);
        if (type == 0 || type > 2) {
            throw new InvalidCephKeyException("the cephx key has an unknown crypto type " + type);
        }
        if (secretLength != decoded.length - HEADER_BYTES) {
            throw new InvalidCephKeyException("the cephx key's length field does not match its size");
        }
        return new CephKey(decoded);
    }

    /** The key as Ceph encodes it, for libvirt's {@code Secret.setValue}. A copy. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Standard base64, the only form librados' {@code key} option decodes. */
    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static int u16(byte[] data, int offset) {
        return (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CephKey other && java.security.MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "CephKey[******]";
    }
}
