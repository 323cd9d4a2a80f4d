package io.rbdstack.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    @Test
    void readsSeveralLinesFromOneChunk() throws Exception {
        BoundedLineReader reader = reader("a\nbc\n\nd\n", 10);

        assertEquals("a", next(reader));
        assertEquals("bc", next(reader));
        assertEquals("", next(reader));
        assertEquals("d", next(reader));
        assertNull(reader.readLine());
    }

    @Test
    void joinsALineSplitAcrossReads() throws Exception {
        InputStream oneByteAtATime = new FilterInputStream(stream("hello\nworld\n")) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        BoundedLineReader reader = new BoundedLineReader(oneByteAtATime, 10);

        assertEquals("hello", next(reader));
        assertEquals("world", next(reader));
    }

    @Test
    void aLineOfExactlyTheLimitPassesOneByteMoreFails() throws Exception {
        BoundedLineReader reader = reader("12345\n123456\n", 5);

        assertEquals("12345", next(reader));
        assertThrows(BoundedLineReader.LineTooLongException.class, reader::readLine);
    }

    @Test
    void aLongLineWithoutNewlineFailsBeforeTheStreamEnds() {
        BoundedLineReader reader = reader("x".repeat(20_000), 10_000);

        assertThrows(BoundedLineReader.LineTooLongException.class, reader::readLine);
    }

    @Test
    void theLimitCanChangeBetweenLines() throws Exception {
        BoundedLineReader reader = reader("123\n123456\n", 3);

        assertEquals("123", next(reader));
        reader.maxLineBytes(6);
        assertEquals("123456", next(reader));
    }

    @Test
    void aStreamEndingMidLineIsAnError() {
        BoundedLineReader reader = reader("{\"type\":", 100);

        assertThrows(EOFException.class, reader::readLine);
    }

    @Test
    void keepsBytesAsTheyAre() throws Exception {
        BoundedLineReader reader = reader("é\r\n", 10);

        assertArrayEquals("é\r".getBytes(StandardCharsets.UTF_8), reader.readLine());
    }

    private static String next(BoundedLineReader reader) throws IOException {
        return new String(reader.readLine(), StandardCharsets.UTF_8);
    }

    private static BoundedLineReader reader(String content, int limit) {
        return new BoundedLineReader(stream(content), limit);
    }

    private static InputStream stream(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }
}
