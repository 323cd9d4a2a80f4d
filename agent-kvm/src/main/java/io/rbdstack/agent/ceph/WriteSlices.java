package io.rbdstack.agent.ceph;

/**
 * Where each write of a restore goes in its few leased buffers: writes are packed one after another into a buffer
 * and, when the next one does not fit, into the next buffer of the ring. So many small writes (an incremental's
 * extents) share one buffer, and a 4 MiB one takes a buffer of its own. Writes end in the order they were queued,
 * so the buffer a write moves on to holds only the oldest writes, whose end it waits for ({@link #mustWait}).
 */
final class WriteSlices {

    /** A write's place: {@code offset} bytes into buffer {@code buffer}. */
    record Slice(int buffer, int offset) {
    }

    private final int bufferBytes;
    private final int[] writesIn;
    private int current;
    private int used;

    WriteSlices(int buffers, int bufferBytes) {
        if (buffers < 1) {
            throw new IllegalArgumentException("no buffer to write from");
        }
        this.bufferBytes = bufferBytes;
        this.writesIn = new int[buffers];
    }

    /** The place of the next write of {@code length} bytes (at most a buffer). */
    Slice next(int length) {
        if (length > bufferBytes) {
            throw new IllegalArgumentException("a write of " + length + " bytes is longer than a buffer");
        }
        if (used + length > bufferBytes) {
            current = (current + 1) % writesIn.length;
            used = 0;
        }
        Slice slice = new Slice(current, used);
        used += length;
        return slice;
    }

    /**
     * Whether writes still in flight use the slice's buffer: only at a buffer's start, where those are the writes
     * of its previous round (further in, they are the ones just packed before it).
     */
    boolean mustWait(Slice slice) {
        return slice.offset() == 0 && writesIn[slice.buffer()] > 0;
    }

    void started(int buffer) {
        writesIn[buffer]++;
    }

    void ended(int buffer) {
        if (writesIn[buffer] == 0) {
            throw new IllegalStateException("no write was in flight from buffer " + buffer);
        }
        writesIn[buffer]--;
    }
}
