package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rbd diff v1 stream: byte layout as Ceph documents it, and reading back what was written. */
class RbdDiffStreamTest {

    /** Records what a read delivers, as text. */
    private static final class Recording implements RbdDiffStream.Target {
        final List<String> events = new ArrayList<>();

        @Override
        public void size(long bytes) {
            events.add("size " + bytes);
        }

        @Override
        public void write(long offset, byte[] data, int length) {
            events.add("write " + offset + " " + new String(data, 0, length, StandardCharsets.US_ASCII));
        }

        @Override
        public void zero(long offset, long length) {
            events.add("zero " + offset + " " + length);
        }
    }

    private static byte[] diff(String from) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RbdDiffStream.Writer writer = new RbdDiffStream.Writer(out);
        if (from != null) {
            writer.fromSnapshot(from);
        }
        writer.toSnapshot("s2");
        writer.size(1024);
        writer.write(10, "hello".getBytes(StandardCharsets.US_ASCII), 5);
        writer.zero(512, 256);
        writer.end();
        return out.toByteArray();
    }

    @Test
    void aDirectBufferLargerThanOneSliceIsWrittenLikeTheSameBytesFromAnArray() throws Exception {
        byte[] bytes = new byte[(256 << 10) * 2 + 123];
        new java.util.Random(7).nextBytes(bytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        ByteArrayOutputStream fromArray = new ByteArrayOutputStream();
        new RbdDiffStream.Writer(fromArray).write(4096, bytes, bytes.length);
        ByteArrayOutputStream fromBuffer = new ByteArrayOutputStream();
        new RbdDiffStream.Writer(fromBuffer).write(4096, direct);
        assertArrayEquals(fromArray.toByteArray(), fromBuffer.toByteArray());
        assertEquals(0, direct.remaining());
    }

    @Test
    void theBytesAreCephsLayoutLittleEndian() throws Exception {
        ByteBuffer expected = ByteBuffer.allocate(200).order(ByteOrder.LITTLE_ENDIAN);
        expected.put("rbd diff v1\n".getBytes(StandardCharsets.US_ASCII));
        expected.put((byte) 'f').putInt(2).put("s1".getBytes(StandardCharsets.US_ASCII));
        expected.put((byte) 't').putInt(2).put("s2".getBytes(StandardCharsets.US_ASCII));
        expected.put((byte) 's').putLong(1024);
        expected.put((byte) 'w').putLong(10).putLong(5).put("hello".getBytes(StandardCharsets.US_ASCII));
        expected.put((byte) 'z').putLong(512).putLong(256);
        expected.put((byte) 'e');
        assertArrayEquals(Arrays.copyOf(expected.array(), expected.position()), diff("s1"));
    }

    @Test
    void readingGivesBackWhatWasWrittenInChunks() throws Exception {
        Recording target = new Recording();
        RbdDiffStream.Summary summary = RbdDiffStream.read(new ByteArrayInputStream(diff("s1")), target, 2);
        assertEquals(List.of("size 1024", "write 10 he", "write 12 ll", "write 14 o", "zero 512 256"), target.events);
        assertEquals(new RbdDiffStream.Summary("s1", "s2", 1024, 5, 256), summary);
    }

    @Test
    void aFullDiffHasNoFromSnapshot() throws Exception {
        assertEquals(null, RbdDiffStream.read(new ByteArrayInputStream(diff(null)), new Recording(), 64).fromSnapshot());
    }

    @Test
    void aTruncatedStreamIsAnErrorNotAShortRestore() throws Exception {
        byte[] whole = diff("s1");
        for (int cut : new int[] {5, whole.length - 1, whole.length - 10}) {
            IOException e = assertThrows(IOException.class, () -> RbdDiffStream.read(
                    new ByteArrayInputStream(Arrays.copyOf(whole, cut)), new Recording(), 64), "cut at " + cut);
            assertTrue(e instanceof EOFException, e.toString());
        }
    }

    @Test
    void aWrongHeaderIsRefused() {
        byte[] bytes = "rbd diff v2\nxxxx".getBytes(StandardCharsets.US_ASCII);
        IOException e = assertThrows(IOException.class, () -> RbdDiffStream.read(new ByteArrayInputStream(bytes),
                new Recording(), 64));
        assertEquals("not an RBD diff v1 stream (bad header)", e.getMessage());
    }

    @Test
    void anExtentBeyondTheImageIsRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RbdDiffStream.Writer writer = new RbdDiffStream.Writer(out);
        writer.size(100);
        writer.zero(90, 20);
        writer.end();
        IOException e = assertThrows(IOException.class, () -> RbdDiffStream.read(
                new ByteArrayInputStream(out.toByteArray()), new Recording(), 64));
        assertEquals("RBD diff extent 90+20 lies outside the image's 100 bytes", e.getMessage());
    }

    @Test
    void dataBeforeTheSizeIsRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RbdDiffStream.Writer writer = new RbdDiffStream.Writer(out);
        writer.zero(0, 1);
        writer.end();
        assertThrows(IOException.class, () -> RbdDiffStream.read(new ByteArrayInputStream(out.toByteArray()),
                new Recording(), 64));
    }
}
