package io.rbdstack.agent.store.s3;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** Reads the remaining bytes of a buffer (a part in native memory, for the SDK to sign and send) without copying it. */
final class ByteBufferInputStream extends InputStream {

    private final ByteBuffer data;

    /** Reads {@code data}'s remaining bytes; its position moves, so pass a view of its own. */
    ByteBufferInputStream(ByteBuffer data) {
        this.data = data;
    }

    @Override
    public int read() {
        return data.hasRemaining() ? data.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (!data.hasRemaining()) {
            return -1;
        }
        int n = Math.min(length, data.remaining());
        data.get(bytes, offset, n);
        return n;
    }

    @Override
    public long skip(long n) {
        int skipped = (int) Math.max(0, Math.min(n, data.remaining()));
        data.position(data.position() + skipped);
        return skipped;
    }

    @Override
    public int available() {
        return data.remaining();
    }
}
