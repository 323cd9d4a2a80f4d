package io.rbdstack.protocol;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads newline-terminated lines of bytes and refuses any line longer than a limit, so a peer can
 * not make us buffer without bound. Not thread-safe: one reader thread owns it.
 */
public final class BoundedLineReader {

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private int maxLineBytes;

    public BoundedLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** Lowers or raises the limit for the following lines (the hello gets a small one). */
    public void maxLineBytes(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The next line without its newline (a trailing carriage return is left for the JSON parser,
     * which treats it as white space), or null at a clean end of stream.
     *
     * @throws LineTooLongException if the line exceeds the limit; the stream is then unusable
     * @throws EOFException         if the stream ends in the middle of a line
     */
    public byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (position == limit) {
                int read = in.read(buffer);
                if (read < 0) {
                    if (line.size() == 0) {
                        return null;
                    }
                    throw new EOFException("stream ended in the middle of a message");
                }
                position = 0;
                limit = read;
            }
            int newline = indexOfNewline();
            int end = newline < 0 ? limit : newline;
            if ((long) line.size() + (end - position) > maxLineBytes) {
                throw new LineTooLongException(maxLineBytes);
            }
            line.write(buffer, position, end - position);
            position = newline < 0 ? limit : newline + 1;
            if (newline >= 0) {
                return line.toByteArray();
            }
        }
    }

    private int indexOfNewline() {
        for (int i = position; i < limit; i++) {
            if (buffer[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** A peer sent a line over the limit; the connection must be closed. */
    public static final class LineTooLongException extends IOException {
        LineTooLongException(int maxLineBytes) {
            super("message longer than " + maxLineBytes + " bytes");
        }
    }
}
