package io.rbdstack.agent.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A file that went on in segments ({@link S3MultipartOutputStream}) read as one stream: its key's object, then each
 * segment in order, each opened once the one before has ended (one connection at a time) and closed then.
 */
final class SegmentsInputStream extends InputStream {

    /** Opens one segment's content. */
    interface Opener {
        InputStream open(S3Object segment) throws IOException;
    }

    private final Iterator<S3Object> segments;
    private final Opener opener;
    private InputStream current;
    /** Why reading cannot go on (a segment that did not open, or close()): later reads throw, never end quietly. */
    private String stopped;

    SegmentsInputStream(InputStream first, Iterator<S3Object> segments, Opener opener) {
        this.current = first;
        this.segments = segments;
        this.opener = opener;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (stopped != null) {
            throw new IOException(stopped);
        }
        if (length == 0) {
            return 0;
        }
        while (current != null) {
            int n = current.read(buffer, offset, length);
            if (n >= 0) {
                return n;
            }
            current.close();
            current = null;
            if (segments.hasNext()) {
                S3Object next = segments.next();
                try {
                    current = opener.open(next);
                } catch (IOException | RuntimeException e) {
                    stopped = "segment " + next.key() + " could not be opened: " + e.getMessage();
                    throw e;
                }
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        stopped = "closed";
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
