package io.rbdstack.agent.ceph;

import com.sun.jna.Pointer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * Slices of any length up to one buffer's, cut from a few equal buffers in turn and given back in the order they were
 * taken: a backup's reads are handed out and given back in the order of the image, so one ring serves extents of 64
 * KiB and objects of 4 MiB alike, without knowing the longest beforehand (its extents are still being listed when
 * the first reads go). A slice never spans two buffers; the end of a buffer too short for the next slice is skipped.
 * The ring starts on the buffers it is given and takes in another only when a slice finds no room (and none of the
 * slices taken lies around the ring's end), so that a backup of small extents touches the pages of few buffers and
 * holds few of the agent's budget.
 */
final class SliceRing {

    /** One slice taken: [start, end) in the ring's positions; {@code headBefore} restores the ring when undone. */
    private record Slice(long start, long end, long headBefore, Pointer pointer) {
    }

    private final List<Pointer> buffers;
    private final long bufferBytes;
    private final int mostBuffers;
    private final Supplier<? extends Pointer> more;
    /** The bytes of the buffers in use so far. */
    private long totalBytes;
    private final Deque<Slice> taken = new ArrayDeque<>();
    /** Where the next slice starts, at the earliest. */
    private long head;
    private long takenBytes;

    /** A ring over {@code buffers} of {@code bufferBytes} each. */
    SliceRing(List<? extends Pointer> buffers, long bufferBytes) {
        this(buffers, bufferBytes, buffers.size(), () -> null);
    }

    /**
     * A ring over {@code first}, buffers of {@code bufferBytes} each, that asks {@code more} for another (null: none
     * now) when a slice finds no room, up to {@code mostBuffers} in all.
     */
    SliceRing(List<? extends Pointer> first, long bufferBytes, int mostBuffers, Supplier<? extends Pointer> more) {
        if (first.isEmpty() || bufferBytes <= 0 || mostBuffers < first.size()) {
            throw new IllegalArgumentException("a ring needs buffers");
        }
        this.buffers = new ArrayList<>(first);
        this.bufferBytes = bufferBytes;
        this.mostBuffers = mostBuffers;
        this.more = more;
        this.totalBytes = bufferBytes * first.size();
    }

    /** A slice of {@code length} bytes after those taken, or null when there is no room for it until some go back. */
    Pointer take(long length) {
        if (length <= 0 || length > bufferBytes) {
            throw new IllegalArgumentException("a slice of " + length + " bytes in buffers of " + bufferBytes);
        }
        Pointer slice = takeInUse(length);
        // No room: another buffer joins the ring at its end, unless slices taken lie around the end (the ring then
        // runs from its tail past the end to its head: a buffer added there would come between them).
        while (slice == null && buffers.size() < mostBuffers && !taken.isEmpty()
                && head > taken.peekFirst().start()) {
            Pointer buffer = more.get();
            if (buffer == null) {
                break;
            }
            buffers.add(buffer);
            totalBytes += bufferBytes;
            slice = takeInUse(length);
        }
        return slice;
    }

    /** Buffers the ring uses so far. */
    int buffersInUse() {
        return buffers.size();
    }

    private Pointer takeInUse(long length) {
        long start = taken.isEmpty() ? 0 : head; // an empty ring starts again at its first buffer
        if (start % bufferBytes + length > bufferBytes) {
            start = (start / bufferBytes + 1) * bufferBytes; // the next buffer's start
        }
        boolean wrapped = start >= totalBytes;
        if (wrapped) {
            start = 0;
        }
        if (!taken.isEmpty()) {
            long tail = taken.peekFirst().start();
            // What is taken runs from the tail to the head, around the end when the head is before the tail.
            boolean roomy = head > tail
                    ? !wrapped && start >= head || start + length <= tail
                    : start >= head && !wrapped && start + length <= tail;
            if (!roomy) {
                return null;
            }
        }
        long end = start + length;
        Pointer slice = buffers.get((int) (start / bufferBytes)).share(start % bufferBytes, length);
        taken.add(new Slice(start, end, head, slice));
        head = end; // at the ring's end: the next slice starts again at its start, or in a buffer joining it
        takenBytes += length;
        return slice;
    }

    /** Gives back the oldest slice taken, which {@code slice} must be. */
    void giveBackOldest(Pointer slice) {
        Slice oldest = taken.peekFirst();
        if (oldest == null || !oldest.pointer().equals(slice)) {
            throw new IllegalStateException("slices go back in the order they were taken");
        }
        taken.removeFirst();
        takenBytes -= oldest.end() - oldest.start();
    }

    /** Gives back the newest slice taken, which {@code slice} must be (a read that could not be queued after all). */
    void giveBackNewest(Pointer slice) {
        Slice newest = taken.peekLast();
        if (newest == null || !newest.pointer().equals(slice)) {
            throw new IllegalStateException("only the newest slice can be taken back");
        }
        taken.removeLast();
        head = newest.headBefore();
        takenBytes -= newest.end() - newest.start();
    }

    /** Slices taken and not given back. */
    int taken() {
        return taken.size();
    }

    /** Bytes of the slices taken and not given back. */
    long takenBytes() {
        return takenBytes;
    }
}
