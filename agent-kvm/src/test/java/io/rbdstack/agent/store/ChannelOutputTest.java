package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rbdstack.agent.ceph.RbdDiffStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The directory store's file stream: native buffers written as they are, everything in the order written. */
class ChannelOutputTest {

    @TempDir
    Path dir;

    @Test
    void aDiffWrittenThroughTheChannelIsByteIdenticalToOneWrittenToAStream() throws Exception {
        Random random = new Random(3);
        byte[][] extents = new byte[30][];
        for (int i = 0; i < extents.length; i++) {
            extents[i] = new byte[random.nextInt(300_000)];
            random.nextBytes(extents[i]);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        writeDiff(new RbdDiffStream.Writer(expected), extents);

        Path file = dir.resolve("diff");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ChannelOutput out = new ChannelOutput(channel, 4096)) { // smaller than most extents
            writeDiff(new RbdDiffStream.Writer(out), extents);
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    @Test
    void aChannelWritingAtMostSevenBytesPerCallStillGetsTheWholeDiffInOrder() throws Exception {
        Random random = new Random(11);
        byte[][] extents = new byte[8][];
        for (int i = 0; i < extents.length; i++) {
            extents[i] = new byte[random.nextInt(20_000)];
            random.nextBytes(extents[i]);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        writeDiff(new RbdDiffStream.Writer(expected), extents);

        Path file = dir.resolve("short-writes");
        try (ShortWrites channel = new ShortWrites(FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 7);
             ChannelOutput out = new ChannelOutput(channel, 4096)) {
            writeDiff(new RbdDiffStream.Writer(out), extents);
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    /** A gathering channel that writes at most {@code most} bytes per call, as a socket or a full pipe may. */
    private static final class ShortWrites implements GatheringByteChannel {
        private final FileChannel file;
        private final int most;

        ShortWrites(FileChannel file, int most) {
            this.file = file;
            this.most = most;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer part = src.slice(src.position(), Math.min(most, src.remaining()));
            int n = file.write(part);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            for (int i = offset; i < offset + length; i++) {
                if (sources[i].hasRemaining()) {
                    return write(sources[i]); // short: at most one buffer's first bytes
                }
            }
            return 0;
        }

        @Override
        public long write(ByteBuffer[] sources) throws IOException {
            return write(sources, 0, sources.length);
        }

        @Override
        public boolean isOpen() {
            return file.isOpen();
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }

    @Test
    void arraysHeapBuffersAndSingleBytesKeepTheirOrder() throws Exception {
        Path file = dir.resolve("mixed");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        byte[] big = new byte[100_000];
        new Random(5).nextBytes(big);
        try (ChannelOutput out = new ChannelOutput(FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 1024)) {
            out.write(7);
            expected.write(7);
            out.write(big, 10, 50_000);
            expected.write(big, 10, 50_000);
            assertEquals(3000, out.write(ByteBuffer.wrap(big, 0, 3000)));
            expected.write(big, 0, 3000);
            out.write(ByteBuffer.allocateDirect(big.length).put(big).flip());
            expected.write(big);
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    }

    @Test
    void aFailingWriteFailsTheStreamWithItsCause() throws Exception {
        IOException full = new IOException("No space left on device");
        WritableByteChannel failing = new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                throw full;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        ChannelOutput out = new ChannelOutput(failing, 1024);
        out.write(new byte[100], 0, 100); // gathered only
        assertSame(full, assertThrows(IOException.class, () -> out.write(ByteBuffer.allocateDirect(10))));
        assertSame(full, assertThrows(IOException.class, out::flush));
    }

    private static void writeDiff(RbdDiffStream.Writer writer, byte[][] extents) throws IOException {
        writer.fromSnapshot("s1");
        writer.toSnapshot("s2");
        writer.size(1L << 30);
        long offset = 0;
        for (byte[] extent : extents) {
            ByteBuffer direct = ByteBuffer.allocateDirect(extent.length).put(extent).flip().asReadOnlyBuffer();
            writer.write(offset, direct);
            writer.zero(offset + extent.length, 4096);
            offset += extent.length + 8192;
        }
        writer.end();
    }
}
