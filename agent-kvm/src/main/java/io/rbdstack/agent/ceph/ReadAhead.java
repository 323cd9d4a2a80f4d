package io.rbdstack.agent.ceph;

import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads ranges of an RBD image with many reads in flight and hands them out in order: a backup's throughput is bound
 * by the OSDs' latency, not by one read at a time (Ceph's own export-diff does the same). Ranges are queued as the
 * caller learns them ({@link #queue}, while {@link #hasRoomFor} says so), so a backup reads while librbd still lists
 * the changed extents. The reads are librbd's asynchronous ones, so no thread waits per read and many small reads (an
 * incremental's extents) cost no more threads than a few large ones.
 *
 * <p>Memory is bounded and reused: a few native buffers lent by the agent's {@link TransferBuffers} (fewer while other
 * transfers hold theirs), cut into slices as ranges come ({@link SliceRing}: small reads share a buffer, a 4 MiB one
 * takes one), which librbd reads into and the caller reads from where they are (a backup's writes and, on another
 * thread, its digest, {@link HashBehind}). A slice is in use from its read's queueing until the caller gives it back
 * ({@link #release}); up to {@code maxHeld} are handed out at once. Fresh 4 MiB Java arrays per read (and JNA's fresh
 * native copy of each) made the agent's resident memory grow to hundreds of MiB during one backup.
 */
final class ReadAhead implements AutoCloseable {

    /** One range of the image. */
    record Range(long offset, int length) {
    }

    private record Pending(Range range, SliceRing.Slice slice, RbdCompletion completion) {
    }

    private final RbdImage image;
    private final String what;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    /** Handed out and not given back yet, oldest first. */
    private final Deque<SliceRing.Slice> handedOut = new ArrayDeque<>();
    private final TransferBuffers.Lease lease;
    private final List<Memory> buffers;
    private final SliceRing slices;
    private final int maxInFlight;
    private final int maxHeld;
    private long waitedNanos;
    private long queueingNanos;

    /**
     * Waits for at least two of the agent's transfer buffers (up to {@code buffers}), so a transfer that starts while
     * others hold the budget waits for theirs to end. No range may be longer than a buffer. At most
     * {@code maxInFlight} reads are in flight, and no more bytes than the buffers lent less those handed out.
     */
    ReadAhead(RbdImage image, String what, int maxInFlight, int maxHeld, int buffers, TransferBuffers budget)
            throws CephException {
        if (maxInFlight < 1 || maxHeld < 1) {
            throw new IllegalArgumentException("reads in flight and buffers held must be at least 1");
        }
        this.image = image;
        this.what = what;
        this.maxInFlight = maxInFlight;
        this.maxHeld = maxHeld;
        try {
            this.lease = budget.take(Math.min(2, buffers), Math.max(2, buffers));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephException("interrupted while waiting for buffers to read " + what, -CephErrors.EINTR, e);
        }
        this.buffers = lease.buffers();
        this.slices = new SliceRing(this.buffers.size(), budget.bufferBytes());
    }

    /**
     * Whether a read of {@code length} bytes can be queued now: fewer than the most reads are in flight and its slice
     * is free. When not, the caller takes the next read ({@link #next}) or gives one back ({@link #release}) first.
     */
    boolean hasRoomFor(int length) {
        return inFlight.size() < maxInFlight && !slices.mustWait(slices.peek(length));
    }

    /** Starts reading {@code range}, which {@link #hasRoomFor} must have let in; it is handed out after those before. */
    void queue(Range range) throws CephException {
        if (!hasRoomFor(range.length())) {
            throw new IllegalStateException("no room to read " + range + " of " + what);
        }
        long start = System.nanoTime();
        try {
            SliceRing.Slice slice = slices.next(range.length());
            RbdCompletion completion = RbdCompletion.create(what);
            int rc = LibRbd.INSTANCE.rbd_aio_read2(image.getPointer(), range.offset(), range.length(),
                    buffers.get(slice.buffer()).share(slice.offset(), range.length()), completion.pointer(),
                    LibRbd.FADVISE_NOCACHE);
            if (rc < 0) {
                completion.release();
                throw new CephException("cannot read " + range.length() + " bytes at " + range.offset() + " of " + what
                        + ": " + CephErrors.describe(rc), rc);
            }
            slices.started(slice.buffer());
            inFlight.add(new Pending(range, slice, completion));
        } finally {
            queueingNanos += System.nanoTime() - start;
        }
    }

    /** Reads queued and not handed out yet. */
    int inFlight() {
        return inFlight.size();
    }

    /** Whether the oldest read queued has ended, so {@link #next} would not wait (false when none is queued). */
    boolean nextReady() {
        Pending head = inFlight.peek();
        return head != null && head.completion().done();
    }

    /**
     * The oldest queued range's bytes (a buffer of exactly its length), waiting for its read to end. The memory is
     * reused: the buffer is valid until {@link #release} gives it back, or until this call finds {@link #maxHeld}
     * buffers handed out and gives back the oldest (with a limit of 1: until the next call).
     */
    ByteBuffer next() throws CephException {
        while (handedOut.size() >= maxHeld) {
            release();
        }
        Pending head = inFlight.poll();
        if (head == null) {
            throw new IllegalStateException("no read of " + what + " is queued");
        }
        long waitStart = System.nanoTime();
        long read = head.completion().await();
        waitedNanos += System.nanoTime() - waitStart;
        Range range = head.range();
        if (read != range.length()) {
            slices.ended(head.slice().buffer()); // librbd is done with it
            throw new CephException("cannot read " + range.length() + " bytes at " + range.offset() + " of " + what
                    + ": " + (read < 0 ? CephErrors.describe((int) read) : "got " + read),
                    read < 0 ? (int) read : -CephErrors.EIO);
        }
        handedOut.add(head.slice());
        return buffers.get(head.slice().buffer()).getByteBuffer(head.slice().offset(), range.length())
                .asReadOnlyBuffer();
    }

    /** Gives back the oldest buffer {@link #next} handed out, which the caller no longer reads. */
    void release() {
        SliceRing.Slice oldest = handedOut.poll();
        if (oldest == null) {
            throw new IllegalStateException("no buffer is handed out");
        }
        slices.ended(oldest.buffer());
    }

    /** Buffers handed out and not given back. */
    int held() {
        return handedOut.size();
    }

    /** How many buffers the caller may hold at once. */
    int maxHeld() {
        return maxHeld;
    }

    /** How long the caller waited for reads to end so far: near the whole backup when the OSDs bound it. */
    long waitedMillis() {
        return waitedNanos / 1_000_000;
    }

    /** How long the caller spent queueing reads so far (librbd's and JNA's work in the caller's thread). */
    long queueingMillis() {
        return queueingNanos / 1_000_000;
    }

    /**
     * Waits, however long it takes, until no read is in flight (the caller closes the image next, and librbd must
     * not read into buffers given back), then gives the buffers back. A read that failed meanwhile is of no use
     * to anybody any more: the caller stopped asking.
     */
    @Override
    public void close() {
        while (!inFlight.isEmpty()) {
            inFlight.poll().completion().await();
        }
        lease.close(); // back to the budget at once, for the transfers waiting for it
    }
}
