package io.rbdstack.agent.ceph;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Random;

/** Well-formed cephx keys made up for tests (Ceph's CryptoKey encoding of a random AES secret). */
public final class TestKeys {

    private TestKeys() {
    }

    /** A key as Ceph encodes one: u16 type 1 (AES), u32 + u32 created, u16 16, 16 secret bytes. */
    public static String random(Random random) {
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        ByteBuffer key = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
        key.putShort((short) 1).putInt((int) (System.currentTimeMillis() / 1000)).putInt(0).putShort((short) 16)
                .put(secret);
        return Base64.getEncoder().encodeToString(key.array());
    }

    /** A random key whose standard base64 contains '+', '/' and '=' (padding is always "=="). */
    public static String withAllBase64Specials(long seed) {
        Random random = new Random(seed);
        while (true) {
            String key = random(random);
            if (key.contains("+") && key.contains("/")) {
                return key;
            }
        }
    }
}
