package io.rbdstack.agent.ceph;

/**
 * Where each read of a backup or write of a restore goes in its few leased buffers: slices are packed one after
 * another into a buffer and, when the next one does not fit, into the next buffer of the ring. So many small ones (an
 * incremental's extents) share one buffer, and a 4 MiB one takes a buffer of its own, without knowing the lengths in
 * advance. Slices are given back in the order they were taken, so the buffer the ring moves on to holds only the
 * oldest slices, whose return it waits for ({@link #mustWait}).
 */
final class SliceRing {

    /** A slice's place: {@code offset} bytes into buffer {@code buffer}. */
    record Slice(int buffer, int offset) {
    }

    private final int bufferBytes;
    private final int[] inUse;
    private int current;
    private int used;

    SliceRing(int buffers, int bufferBytes) {
        if (buffers < 1) {
            throw new IllegalArgumentException("no buffer to slice");
        }
        this.bufferBytes = bufferBytes;
        this.inUse = new int[buffers];
    }

    /** The place of the next slice of {@code length} bytes (at most a buffer). */
    Slice next(int length) {
        Slice slice = peek(length);
        current = slice.buffer();
        used = slice.offset() + length;
        return slice;
    }

    /** The place {@link #next} would give a slice of {@code length} bytes, without taking it. */
    Slice peek(int length) {
        if (length > bufferBytes) {
            throw new IllegalArgumentException("a slice of " + length + " bytes is longer than a buffer");
        }
        return used + length > bufferBytes ? new Slice((current + 1) % inUse.length, 0) : new Slice(current, used);
    }

    /**
     * Whether slices still in use lie in the slice's buffer: only at a buffer's start, where those are the slices of
     * its previous round (further in, they are the ones just packed before it).
     */
    boolean mustWait(Slice slice) {
        return slice.offset() == 0 && inUse[slice.buffer()] > 0;
    }

    void started(int buffer) {
        inUse[buffer]++;
    }

    void ended(int buffer) {
        if (inUse[buffer] == 0) {
            throw new IllegalStateException("no slice of buffer " + buffer + " was in use");
        }
        inUse[buffer]--;
    }
}
