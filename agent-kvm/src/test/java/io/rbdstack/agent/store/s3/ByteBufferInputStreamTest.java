package io.rbdstack.agent.store.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ByteBufferInputStreamTest {

    @Test
    void readsTheRemainingBytesOfADirectBufferInPiecesThenEnds() {
        ByteBuffer data = ByteBuffer.allocateDirect(10);
        for (int i = 0; i < 10; i++) {
            data.put((byte) (200 + i));
        }
        data.flip().position(2);
        ByteBufferInputStream in = new ByteBufferInputStream(data);
        assertEquals(8, in.available());
        assertEquals(202, in.read(), "unsigned");
        byte[] read = new byte[5];
        assertEquals(3, in.read(read, 1, 3));
        assertArrayEquals(new byte[] {0, (byte) 203, (byte) 204, (byte) 205, 0}, read);
        assertEquals(2, in.skip(2));
        assertEquals(0, in.read(read, 0, 0));
        assertEquals(2, in.read(read, 0, 5));
        assertEquals((byte) 208, read[0]);
        assertEquals(-1, in.read(read, 0, 5));
        assertEquals(-1, in.read());
        assertEquals(0, in.skip(3));
    }
}
