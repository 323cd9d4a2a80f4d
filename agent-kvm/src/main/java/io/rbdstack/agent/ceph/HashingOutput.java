package io.rbdstack.agent.ceph;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A backup's stream on its way to the store, fed to its {@link HashBehind} as well: records are copied to it, data
 * buffers lent ({@link #write(ByteBuffer)}), so the caller keeps each buffer unchanged until the digest has it
 * ({@link HashBehind#awaitLent}). To a store whose stream is a channel the buffers go as they are; to any other, through
 * one small array.
 */
final class HashingOutput extends OutputStream implements WritableByteChannel {

    private final OutputStream out;
    private final HashBehind hash;
    private byte[] slice;

    HashingOutput(OutputStream out, HashBehind hash) {
        this.out = out;
        this.hash = hash;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        hash.update(bytes, offset, length);
        out.write(bytes, offset, length);
    }

    /** Lends {@code data} to the digest, then writes it all. */
    @Override
    public int write(ByteBuffer data) throws IOException {
        int length = data.remaining();
        hash.lend(data);
        if (out instanceof WritableByteChannel channel) {
            while (data.hasRemaining()) {
                channel.write(data);
            }
        } else {
            if (slice == null && !data.hasArray()) {
                slice = new byte[RbdDiffStream.Writer.SLICE];
            }
            RbdDiffStream.Writer.copy(data, out, slice);
        }
        return length;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    /** Flushes; the store's stream is closed by the store. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
