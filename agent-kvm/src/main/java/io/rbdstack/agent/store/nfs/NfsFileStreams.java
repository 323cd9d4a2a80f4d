package io.rbdstack.agent.store.nfs;

import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Objects;

/** Java streams over an {@link NfsFile}, moving up to one buffer (1 MiB, libnfs's writemax/readmax) per RPC. */
final class NfsFileStreams {

    /** NFSv3 servers take up to 1 MiB per WRITE/READ (ganesha's and libnfs's maxima). */
    static final int CHUNK = 1 << 20;

    private NfsFileStreams() {
    }

    /** Appends from offset 0; {@link OutputStream#close} sends what is buffered, not an fsync nor a file close. */
    static final class Output extends OutputStream implements WritableByteChannel {
        private final NfsFile file;
        private final Memory buffer = new Memory(CHUNK);
        private int buffered;
        private long offset;

        Output(NfsFile file) {
            this.file = file;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int from, int length) throws IOException {
            Objects.checkFromIndexSize(from, length, bytes.length);
            while (length > 0) {
                int n = Math.min(length, CHUNK - buffered);
                buffer.write(buffered, bytes, from, n);
                buffered += n;
                from += n;
                length -= n;
                if (buffered == CHUNK) {
                    flush();
                }
            }
        }

        /** The remaining bytes of {@code data} into the RPC buffer, copied once (a backup's native read buffers). */
        @Override
        public int write(ByteBuffer data) throws IOException {
            int length = data.remaining();
            while (data.hasRemaining()) {
                int n = Math.min(data.remaining(), CHUNK - buffered);
                ByteBuffer part = data.slice();
                part.limit(n);
                buffer.getByteBuffer(buffered, n).put(part);
                data.position(data.position() + n);
                buffered += n;
                if (buffered == CHUNK) {
                    flush();
                }
            }
            return length;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void flush() throws IOException {
            if (buffered > 0) {
                file.writeFully(offset, buffer, buffered);
                offset += buffered;
                buffered = 0;
            }
        }

        /** Bytes written so far, buffered ones included. */
        long size() {
            return offset + buffered;
        }

        @Override
        public void close() throws IOException {
            try {
                flush();
            } finally {
                buffer.close();
            }
        }
    }

    /** Reads from offset 0 to the end; closing it closes the file and then {@code owner} (its context). */
    static final class Input extends InputStream {
        private final NfsFile file;
        private final AutoCloseable owner;
        private final Memory buffer = new Memory(CHUNK);
        private long offset;
        private boolean closed;

        Input(NfsFile file, AutoCloseable owner) {
            this.file = file;
            this.owner = owner;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int from, int length) throws IOException {
            Objects.checkFromIndexSize(from, length, bytes.length);
            if (closed) {
                throw new IOException("stream closed");
            }
            if (length == 0) {
                return 0;
            }
            int n = file.read(offset, buffer, Math.min(length, CHUNK));
            if (n == 0) {
                return -1;
            }
            buffer.read(0, bytes, from, n);
            offset += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (AutoCloseable context = owner; Memory ignored = buffer) {
                file.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
