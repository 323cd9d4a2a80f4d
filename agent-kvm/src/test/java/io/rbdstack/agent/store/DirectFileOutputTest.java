package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Direct writes on the temporary directory's file system: every byte lands where it was written, the tail too. */
class DirectFileOutputTest {

    @TempDir
    Path dir;

    /** The alignment the JDK checks direct writes against: the file system's fragment size. */
    private int block;

    @org.junit.jupiter.api.BeforeEach
    void blockSize() throws IOException {
        block = (int) Math.max(4096, Files.getFileStore(dir).getBlockSize());
    }

    private FileChannel create(String name) throws IOException {
        return FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT);
    }

    @Test
    void writesOfEverySizeAndKindLandInOrderAndTheFileEndsAtTheLastByte() throws IOException {
        Random random = new Random(42);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (FileChannel file = create("a"); DirectFileOutput out = new DirectFileOutput(file, block)) {
            // A diff's shape: small records between data of 64 KiB up to more than one staging buffer, native
            // buffers, array-backed ones and a gathered pair.
            for (int i = 0; i < 40; i++) {
                byte[] record = bytes(random, 17);
                expected.write(record);
                out.write(ByteBuffer.wrap(record));
                byte[] data = bytes(random, i % 7 == 0 ? DirectFileOutput.STAGING + 12_345 : 65_536 + i);
                expected.write(data);
                ByteBuffer nativeData = ByteBuffer.allocateDirect(data.length).put(data).flip();
                if (i % 2 == 0) {
                    out.write(nativeData);
                } else {
                    byte[] next = bytes(random, 9);
                    expected.write(next);
                    assertEquals(data.length + 9, out.write(new ByteBuffer[] {nativeData, ByteBuffer.wrap(next)}));
                }
                assertEquals(0, nativeData.remaining(), "every byte taken");
            }
            expected.write('e');
            out.write(ByteBuffer.wrap(new byte[] {'e'}));
            assertEquals(expected.size(), out.length());
            out.finish();
            assertEquals(expected.size(), file.size(), "the last block's padding cut off");
        }
        byte[] written = Files.readAllBytes(dir.resolve("a"));
        assertTrue(expected.size() % block != 0, "the test ends within a block");
        assertArrayEquals(expected.toByteArray(), written);
    }

    @Test
    void aFileOfWholeBlocksOrNoneIsWrittenAsItIs() throws IOException {
        byte[] data = bytes(new Random(7), 2 * DirectFileOutput.STAGING);
        try (FileChannel file = create("whole"); DirectFileOutput out = new DirectFileOutput(file, block)) {
            out.write(ByteBuffer.wrap(data));
            out.finish();
        }
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("whole")));
        try (FileChannel file = create("empty"); DirectFileOutput out = new DirectFileOutput(file, block)) {
            out.finish();
        }
        assertEquals(0, Files.size(dir.resolve("empty")));
    }

    @Test
    void noWriteAfterFinishOrCloseAndNoAlignmentButAPowerOfTwo() throws IOException {
        try (FileChannel file = create("b")) {
            DirectFileOutput out = new DirectFileOutput(file, block);
            out.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            out.finish();
            IOException finished = assertThrows(IOException.class, () -> out.write(ByteBuffer.wrap(new byte[1])));
            assertEquals("the file was finished already", finished.getMessage());
            out.close();
            assertThrows(ClosedChannelException.class, () -> out.write(ByteBuffer.wrap(new byte[1])));
            assertEquals(3, file.size());
            assertThrows(IllegalArgumentException.class, () -> new DirectFileOutput(file, 3000));
            assertThrows(IllegalArgumentException.class, () -> new DirectFileOutput(file, 2 * DirectFileOutput.STAGING));
        }
    }

    @Test
    void aFailedWriteIsThrownByTheNextCallAndNothingMoreIsWritten() throws IOException {
        FileChannel file = create("c");
        DirectFileOutput out = new DirectFileOutput(file, block);
        file.close();
        out.write(ByteBuffer.wrap(new byte[DirectFileOutput.STAGING])); // full: handed to the writer, which fails
        // The next full buffer waits for the first write, and throws its failure.
        IOException failure = assertThrows(IOException.class,
                () -> out.write(ByteBuffer.wrap(new byte[DirectFileOutput.STAGING])));
        assertEquals("cannot write the file: ClosedChannelException", failure.getMessage());
        IOException next = assertThrows(IOException.class, out::finish);
        assertEquals("an earlier write to the file failed", next.getMessage());
        out.close(); // returns: no write is left under way
        assertThrows(ClosedChannelException.class, () -> out.write(ByteBuffer.wrap(new byte[1])));
        assertEquals(0, Files.size(dir.resolve("c")), "nothing was written");
    }

    private static byte[] bytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
