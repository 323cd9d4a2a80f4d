package io.rbdstack.agent.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Whether two streams hold the same bytes; read only when a commit finds its name taken, so not fast. */
public final class SameBytes {

    private SameBytes() {
    }

    public static boolean of(InputStream a, InputStream b) throws IOException {
        byte[] left = new byte[1 << 20];
        byte[] right = new byte[1 << 20];
        while (true) {
            int n = a.readNBytes(left, 0, left.length);
            int m = b.readNBytes(right, 0, right.length);
            if (n != m || !Arrays.equals(left, 0, n, right, 0, m)) {
                return false;
            }
            if (n < left.length) {
                return true;
            }
        }
    }
}
