package io.rbdstack.agent.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/**
 * A file's output stream that is also its channel: a backup's data buffers (native memory librbd read into) go to
 * the file as they are, with no copy in Java, while small writes (a diff's records) gather in one native buffer of
 * its own. Through {@code Channels.newOutputStream} each 1 MiB write was copied into a fresh native buffer (the JDK
 * caches none over {@code jdk.nio.maxCachedBufferSize}, 256 KiB in the agent), allocated and freed every time.
 */
final class ChannelOutput extends OutputStream implements WritableByteChannel {

    /** Small writes gathered before one write call. */
    static final int GATHER = 64 << 10;

    private final WritableByteChannel channel;
    private final ByteBuffer gathered;
    private boolean closed;

    ChannelOutput(WritableByteChannel channel) {
        this(channel, GATHER);
    }

    ChannelOutput(WritableByteChannel channel, int gatherBytes) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.gathered = ByteBuffer.allocateDirect(gatherBytes);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (!gathered.hasRemaining()) {
            flushGathered();
        }
        gathered.put((byte) b);
    }

    /** Gathered, in slices of the native buffer (a large array too: no native copy of it as a whole). */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        while (length > 0) {
            if (!gathered.hasRemaining()) {
                flushGathered();
            }
            int n = Math.min(length, gathered.remaining());
            gathered.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    /** What was gathered first, then all of {@code data}: a native buffer as it is, an array's through the native one. */
    @Override
    public int write(ByteBuffer data) throws IOException {
        ensureOpen();
        int length = data.remaining();
        if (!data.isDirect()) {
            byte[] copy = new byte[Math.min(length, gathered.capacity())];
            while (data.hasRemaining()) {
                int n = Math.min(copy.length, data.remaining());
                data.get(copy, 0, n);
                write(copy, 0, n);
            }
            return length;
        }
        if (gathered.position() > 0 && channel instanceof GatheringByteChannel gathering) {
            // The extent's record and its data in one call (writev), not two.
            gathered.flip();
            ByteBuffer[] both = {gathered, data};
            try {
                while (data.hasRemaining()) {
                    gathering.write(both);
                }
            } finally {
                gathered.compact();
            }
            return length;
        }
        flushGathered();
        while (data.hasRemaining()) {
            channel.write(data);
        }
        return length;
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        flushGathered();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Writes what is gathered and closes the channel. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try (WritableByteChannel toClose = channel) {
            flushGathered();
        } finally {
            closed = true;
        }
    }

    private void flushGathered() throws IOException {
        gathered.flip();
        try {
            while (gathered.hasRemaining()) {
                channel.write(gathered);
            }
        } finally {
            gathered.compact(); // what a failed write left stays first
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}
