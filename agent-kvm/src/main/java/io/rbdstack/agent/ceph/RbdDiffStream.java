package io.rbdstack.agent.ceph;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Ceph's "rbd diff v1" stream (doc/dev/rbd-diff.rst), the format of {@code rbd export-diff}: a
 * header line, metadata records (from-snapshot, to-snapshot, size), then data records (written
 * extents with their bytes, zeroed extents) and an end record. Backups are written in it so that
 * Ceph's own {@code rbd import-diff} can restore them without rbdstack.
 */
public final class RbdDiffStream {

    static final byte[] HEADER = "rbd diff v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FROM = 'f';
    private static final int TO = 't';
    private static final int SIZE = 's';
    private static final int WRITE = 'w';
    private static final int ZERO = 'z';
    private static final int END = 'e';
    /** Longest snapshot name read back; RBD's own limit is far below. */
    private static final int MAX_NAME = 4096;

    private RbdDiffStream() {
    }

    /** Writes one diff; the caller calls the metadata methods first, then the data ones, then {@link #end}. */
    public static final class Writer {
        private final OutputStream out;
        static final int SLICE = 256 << 10;
        private final ByteBuffer scratch = ByteBuffer.allocate(17).order(ByteOrder.LITTLE_ENDIAN);
        private byte[] slice;

        public Writer(OutputStream out) throws IOException {
            this.out = out;
            out.write(HEADER);
        }

        public void fromSnapshot(String name) throws IOException {
            name(FROM, name);
        }

        public void toSnapshot(String name) throws IOException {
            name(TO, name);
        }

        public void size(long bytes) throws IOException {
            scratch.clear();
            scratch.put((byte) SIZE).putLong(bytes);
            out.write(scratch.array(), 0, scratch.position());
        }

        /** {@code length} bytes of {@code data} go at {@code offset} of the image. */
        public void write(long offset, byte[] data, int length) throws IOException {
            extent(WRITE, offset, length);
            out.write(data, 0, length);
        }

        /**
         * The remaining bytes of {@code data} go at {@code offset} of the image. A stream that is also a channel
         * (an image store's file) takes the buffer as it is, a native one without a copy in Java; otherwise a native
         * buffer is copied out in slices through one small array, never as a whole.
         */
        public void write(long offset, ByteBuffer data) throws IOException {
            beginWrite(offset, data.remaining());
            data(data);
        }

        /**
         * A record of {@code length} bytes of data at {@code offset}, whose bytes follow through {@link #data}: an
         * extent read in several pieces is one record, as {@code rbd export-diff} writes it.
         */
        public void beginWrite(long offset, long length) throws IOException {
            extent(WRITE, offset, length);
        }

        /** The remaining bytes of {@code data}: the next bytes of the record begun ({@link #beginWrite}). */
        public void data(ByteBuffer data) throws IOException {
            if (out instanceof WritableByteChannel channel) {
                while (data.hasRemaining()) {
                    channel.write(data);
                }
                return;
            }
            if (slice == null && !data.hasArray()) {
                slice = new byte[SLICE];
            }
            copy(data, out, slice);
        }

        /** Writes the remaining bytes of {@code data} to {@code out}, a native buffer through {@code slice}. */
        static void copy(ByteBuffer data, OutputStream out, byte[] slice) throws IOException {
            if (data.hasArray()) {
                out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
                data.position(data.limit());
                return;
            }
            while (data.hasRemaining()) {
                int n = Math.min(slice.length, data.remaining());
                data.get(slice, 0, n);
                out.write(slice, 0, n);
            }
        }

        /** The extent reads as zeroes. */
        public void zero(long offset, long length) throws IOException {
            extent(ZERO, offset, length);
        }

        public void end() throws IOException {
            out.write(END);
            out.flush();
        }

        private void extent(int tag, long offset, long length) throws IOException {
            scratch.clear();
            scratch.put((byte) tag).putLong(offset).putLong(length);
            out.write(scratch.array(), 0, scratch.position());
        }

        private void name(int tag, String name) throws IOException {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            scratch.clear();
            scratch.put((byte) tag).putInt(bytes.length);
            out.write(scratch.array(), 0, scratch.position());
            out.write(bytes);
        }
    }

    /** Where a read diff goes: an image being restored. */
    public interface Target {
        /** The image's size when the diff ends; comes before any data. */
        void size(long bytes) throws CephException;

        void write(long offset, byte[] data, int length) throws CephException;

        void zero(long offset, long length) throws CephException;
    }

    /** What a diff said about itself. */
    public record Summary(String fromSnapshot, String toSnapshot, long sizeBytes, long writtenBytes,
                          long zeroedBytes) {
    }

    /**
     * Reads one whole diff into {@code target}, in chunks of at most {@code chunkBytes}.
     *
     * @throws IOException on a malformed or truncated stream, naming what was wrong
     */
    public static Summary read(InputStream in, Target target, int chunkBytes) throws IOException, CephException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[HEADER.length];
        data.readFully(header);
        if (!Arrays.equals(header, HEADER)) {
            throw new IOException("not an RBD diff v1 stream (bad header)");
        }
        String from = null;
        String to = null;
        long size = -1;
        long written = 0;
        long zeroed = 0;
        byte[] buffer = new byte[chunkBytes];
        while (true) {
            int tag = data.read();
            switch (tag) {
                case FROM -> from = readName(data);
                case TO -> to = readName(data);
                case SIZE -> {
                    size = le64(data);
                    if (size < 0) {
                        throw new IOException("negative image size in RBD diff");
                    }
                    target.size(size);
                }
                case WRITE, ZERO -> {
                    long offset = le64(data);
                    long length = le64(data);
                    if (size < 0) {
                        throw new IOException("RBD diff has data before its size record");
                    }
                    if (offset < 0 || length < 0 || offset + length > size) {
                        throw new IOException("RBD diff extent " + offset + "+" + length + " lies outside the image's "
                                + size + " bytes");
                    }
                    if (tag == ZERO) {
                        target.zero(offset, length);
                        zeroed += length;
                    } else {
                        for (long done = 0; done < length; ) {
                            int chunk = (int) Math.min(chunkBytes, length - done);
                            data.readFully(buffer, 0, chunk);
                            target.write(offset + done, buffer, chunk);
                            done += chunk;
                        }
                        written += length;
                    }
                }
                case END -> {
                    return new Summary(from, to, size, written, zeroed);
                }
                case -1 -> throw new EOFException("RBD diff ends without its end record (truncated)");
                default -> throw new IOException("unknown RBD diff record '" + (char) tag + "' (" + tag + ")");
            }
        }
    }

    private static String readName(DataInputStream data) throws IOException {
        int length = Integer.reverseBytes(data.readInt());
        if (length < 0 || length > MAX_NAME) {
            throw new IOException("RBD diff snapshot name of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        data.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static long le64(DataInputStream data) throws IOException {
        return Long.reverseBytes(data.readLong());
    }
}
