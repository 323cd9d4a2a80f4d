package io.rbdstack.agent.ceph;

import com.ceph.rbd.RbdImage;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads ranges of an RBD image with up to {@code depth} reads in flight and hands them out in order:
 * a backup's throughput is bound by the OSDs' latency, not by one read at a time (Ceph's own
 * export-diff does the same). The reads are librbd's asynchronous ones, so no thread waits per read and
 * many small reads (an incremental's extents) cost no more threads than a few large ones. Given the snapshot's
 * {@link SnapshotObjects}, the ranges that lie in one RBD object are read by one librados operation instead (an
 * incremental's, three or so per object), waiting for room while other reads are in flight. The ranges may still be
 * being listed ({@link Source}): reading starts with the first ones listed, as in Ceph's export-diff.
 *
 * <p>Memory is bounded and reused: slices of a few native buffers ({@link SliceRing}, each range's bytes in one) lent
 * by the agent's {@link TransferBuffers} (fewer, and so fewer reads in flight, while other transfers hold theirs),
 * which librbd reads into and the caller reads from where they are (a
 * backup's writes and, on another thread, its digest, {@link HashBehind}). Fresh 4 MiB
 * Java arrays per read (and JNA's fresh native copy of each) made the agent's resident memory grow to
 * hundreds of MiB during one backup.
 */
final class ReadAhead implements AutoCloseable {

    /** One range of the image. */
    record Range(long offset, int length) {
    }

    /**
     * The ranges to read, in order, as they become known: a backup's are listed by librbd while the first are read
     * ({@link ExtentListing}).
     */
    interface Source {
        /** Range {@code index} if it is known already, else null (at once). */
        Range listed(int index);

        /** Waits until range {@code index} is known: it, or null when there are fewer ranges. */
        Range await(int index) throws CephException;

        /** Ranges known from the start. */
        static Source of(List<Range> ranges) {
            List<Range> copy = List.copyOf(ranges);
            return new Source() {
                @Override
                public Range listed(int index) {
                    return index < copy.size() ? copy.get(index) : null;
                }

                @Override
                public Range await(int index) {
                    return listed(index);
                }
            };
        }
    }

    /** A read in flight of one range: its bytes or -errno once it has ended. */
    private interface InFlight {
        long await();
    }

    /** {@code lastOfOperation}: no other range is read by the same OSD operation after this one. */
    private record Pending(Range range, Pointer buffer, InFlight read, boolean lastOfOperation) {
    }

    private final RbdImage image;
    private final String what;
    private final Source ranges;
    /** Non-null: the ranges of one object are read in one librados operation ({@link SnapshotObjects}). */
    private final SnapshotObjects objects;
    private int nextRange;
    private int operationsInFlight;
    private int operations;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private final SliceRing ring;
    /** Handed out and not given back yet, oldest first. */
    private final Deque<Pending> handedOut = new ArrayDeque<>();
    private long heldBytes;
    private final TransferBuffers.Lease lease;
    private final int depth;
    private final int maxHeld;
    private final long bufferBytes;
    private long waitedNanos;
    private long queueingNanos;
    /** A read failed: {@link #next} hands out nothing more (the buffers go back when closed). */
    private boolean failed;

    /**
     * Waits for at least two of the agent's transfer buffers (one for a single range), so a transfer that starts
     * while others hold the budget waits for theirs to end. No range may be longer than a buffer. Ranges much
     * shorter than a buffer (an incremental's extents) share one, so many small reads in flight take no more of the
     * budget than one large one. The caller may hold up to {@code held} ranges' bytes at once ({@link #mustRelease}).
     */
    ReadAhead(RbdImage image, String what, List<Range> ranges, int depth, int held, TransferBuffers buffers)
            throws CephException {
        this(image, null, what, Source.of(ranges), depth, held, buffersFor(ranges, depth, held, buffers), false,
                buffers);
    }

    /**
     * Reads {@code ranges} as they become known, those of one object together through {@code objects} (null: each
     * through librbd; {@code depth} then counts operations, not ranges), into up to {@code most} of the agent's
     * buffers. The caller may hold up to {@code held} ranges, and up to two buffers' bytes of them, while the others
     * are read ({@link #mustRelease}). {@code halves}: one buffer only, read as two of half its size (no range may be
     * longer than half a buffer), so that one range is read while one is held, in half the memory of two.
     */
    ReadAhead(RbdImage image, SnapshotObjects objects, String what, Source ranges, int depth, int held, int most,
              boolean halves, TransferBuffers buffers) throws CephException {
        this.image = image;
        this.objects = objects;
        this.what = what;
        this.ranges = ranges;
        // Two buffers to start with (small extents need no more), more as larger ranges need them and while no
        // other transfer waits for them.
        int first = halves ? 1 : Math.min(2, most);
        try {
            this.lease = buffers.take(first, first);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephException("interrupted while waiting for buffers to read " + what, -CephErrors.EINTR, e);
        }
        if (halves) {
            int half = buffers.bufferBytes() / 2;
            Pointer buffer = lease.buffers().get(0);
            this.bufferBytes = half;
            this.ring = new SliceRing(List.of(buffer.share(0, half), buffer.share(half, half)), half);
        } else {
            this.bufferBytes = buffers.bufferBytes();
            this.ring = new SliceRing(lease.buffers(), bufferBytes, most, lease::tryGrow);
        }
        // Up to maxHeld ranges are handed out while the others are read into; at least one read goes at a time.
        this.maxHeld = Math.max(1, held);
        this.depth = Math.max(1, depth);
        try {
            fill();
        } catch (CephException | RuntimeException | Error e) {
            close(); // waits for the reads queued before the failure
            throw e;
        }
    }

    /** The buffers to ask for to read {@code ranges}: those of {@code depth + held} of the longest, or all of them. */
    static int buffersFor(List<Range> ranges, int depth, int held, TransferBuffers buffers) {
        int longest = ranges.stream().mapToInt(Range::length).max().orElse(1);
        if (longest > buffers.bufferBytes()) {
            throw new IllegalArgumentException("a range is longer than a transfer buffer");
        }
        int perBuffer = buffers.bufferBytes() / longest;
        long wanted = Math.max(1, Math.min((long) depth + held, ranges.size()));
        return (int) Math.max(1, (wanted + perBuffer - 1) / perBuffer);
    }

    /**
     * The next range's bytes (a buffer of exactly its length), in the order of the source; waits for the range to
     * be listed when nothing else is in flight. The memory is reused: the buffer is valid until {@link #release}
     * gives it back, or until this call finds {@code held} ranges or their bytes handed out and gives back the
     * oldest (with a limit of 1: until the next call). A caller that holds buffers longer (a digest reads them) gives
     * them back itself while {@link #mustRelease} says so.
     */
    ByteBuffer next() throws CephException {
        if (failed) {
            throw new IllegalStateException("a read of " + what + " failed already: nothing more is read");
        }
        while (!handedOut.isEmpty() && (handedOut.size() >= maxHeld || heldBytes >= maxHeldBytes())) {
            release();
        }
        fill(); // into slices given back since the last call
        if (inFlight.isEmpty()) {
            if (ranges.await(nextRange) == null) {
                throw new IllegalStateException("no more ranges");
            }
            fill();
            if (inFlight.isEmpty()) {
                throw new IllegalStateException("no room to read the next range of " + what + " while "
                        + handedOut.size() + " buffers are held: give them back first (mustRelease)");
            }
        }
        Pending head = poll();
        try {
            fill(); // into the slice just given back, while the head's read ends
        } catch (CephException | RuntimeException | Error e) {
            // The head is out of inFlight, so close() would not wait for it: librbd must be done with its slice
            // before the buffers go back.
            head.read().await();
            failed = true;
            throw e;
        }
        long waitStart = System.nanoTime();
        long read = head.read().await();
        waitedNanos += System.nanoTime() - waitStart;
        Range range = head.range();
        if (read != range.length()) {
            failed = true; // its slice stays taken: the buffers go back together when closed
            throw new CephException("cannot read " + range.length() + " bytes at " + range.offset() + " of " + what
                    + ": " + (read < 0 ? CephErrors.describe((int) read) : "got " + read),
                    read < 0 ? (int) read : -CephErrors.EIO);
        }
        handedOut.add(head);
        heldBytes += range.length();
        return head.buffer().getByteBuffer(0, range.length()).asReadOnlyBuffer();
    }

    /**
     * Whether the caller must give back its oldest buffer before the next {@link #next}: it holds as many buffers or
     * bytes as it may, or nothing is being read and the next range has no room beside what it holds (waits for the
     * listing to know).
     */
    boolean mustRelease() throws CephException {
        if (handedOut.isEmpty()) {
            return false;
        }
        if (handedOut.size() >= maxHeld || heldBytes >= maxHeldBytes()) {
            return true;
        }
        fill();
        if (!inFlight.isEmpty() || ranges.await(nextRange) == null) {
            return false;
        }
        fill(); // the range just listed, if it has room
        return inFlight.isEmpty();
    }

    /**
     * The bytes the caller may hold: two whole objects at most (one being written, one hashed), and never all the
     * ring's buffers (it grows as the budget allows, so this only rises), so that a read goes beside them.
     */
    private long maxHeldBytes() {
        int buffers = ring.buffersInUse();
        return buffers == 1 ? 1 : Math.min(2L, buffers - 1L) * bufferBytes;
    }

    /** Gives back the oldest buffer {@link #next} handed out, which the caller no longer reads. */
    void release() {
        Pending oldest = handedOut.poll();
        if (oldest == null) {
            throw new IllegalStateException("no buffer is handed out");
        }
        heldBytes -= oldest.range().length();
        ring.giveBackOldest(oldest.buffer());
    }

    /** The agent's transfer buffers lent to these reads so far (the log). */
    int bufferSlots() {
        return lease.slots();
    }

    /** How long the caller waited for reads to end so far: near the whole backup when the OSDs bound it. */
    long waitedMillis() {
        return waitedNanos / 1_000_000;
    }

    /** OSD reads queued so far: one per range, or per object's ranges read together. */
    int operations() {
        return operations;
    }

    /** How long the caller spent queueing reads so far (librbd's and JNA's work in the caller's thread). */
    long queueingMillis() {
        return queueingNanos / 1_000_000;
    }

    private void fill() throws CephException {
        long start = System.nanoTime();
        try {
            queueReads();
        } finally {
            queueingNanos += System.nanoTime() - start;
        }
    }

    /** The oldest range in flight, if any; its operation no longer counts as in flight once its last range is out. */
    private Pending poll() {
        Pending head = inFlight.poll();
        if (head != null && head.lastOfOperation()) {
            operationsInFlight--;
        }
        return head;
    }

    /** Queues reads of the ranges listed so far, as many as the depth and the ring's room allow. */
    private void queueReads() throws CephException {
        Range range;
        while (operationsInFlight < depth && (range = ranges.listed(nextRange)) != null) {
            long object = objects == null ? -1 : objects.objectOf(range);
            if (object >= 0) {
                if (!queueObjectRead(object)) {
                    return; // more room first
                }
                continue;
            }
            Pointer buffer = ring.take(range.length());
            if (buffer == null) {
                return;
            }
            RbdCompletion completion = RbdCompletion.create(what);
            int rc = LibRbd.INSTANCE.rbd_aio_read2(image.getPointer(), range.offset(), range.length(), buffer,
                    completion.pointer(), LibRbd.FADVISE_NOCACHE);
            if (rc < 0) {
                completion.release();
                ring.giveBackNewest(buffer);
                throw new CephException("cannot read " + range.length() + " bytes at " + range.offset() + " of " + what
                        + ": " + CephErrors.describe(rc), rc);
            }
            nextRange++;
            inFlight.add(new Pending(range, buffer, completion::await, true));
            operationsInFlight++;
            operations++;
        }
    }

    /**
     * One librados operation for the next listed ranges that lie in {@code object}; false when it waits for room:
     * while other reads are in flight, one operation per object rather than one per slice given back.
     */
    private boolean queueObjectRead(long object) throws CephException {
        List<Range> group = new ArrayList<>();
        List<Pointer> buffers = new ArrayList<>();
        Range range;
        while ((range = ranges.listed(nextRange + group.size())) != null && objects.objectOf(range) == object) {
            Pointer buffer = ring.take(range.length());
            if (buffer == null) {
                break;
            }
            group.add(range);
            buffers.add(buffer);
        }
        boolean whole = range == null || objects.objectOf(range) != object;
        if (group.isEmpty() || !whole && operationsInFlight > 0) {
            for (int i = buffers.size() - 1; i >= 0; i--) {
                ring.giveBackNewest(buffers.get(i));
            }
            return false;
        }
        SnapshotObjects.Read read;
        try {
            read = objects.read(object, group, buffers);
        } catch (CephException | RuntimeException | Error e) {
            for (int i = buffers.size() - 1; i >= 0; i--) {
                ring.giveBackNewest(buffers.get(i));
            }
            throw e;
        }
        for (int i = 0; i < group.size(); i++) {
            int index = i;
            inFlight.add(new Pending(group.get(i), buffers.get(i), () -> read.await(index), i == group.size() - 1));
        }
        operationsInFlight++;
        operations++;
        nextRange += group.size();
        return true;
    }

    /**
     * Waits, however long it takes, until no read is in flight (the caller closes the image next, and librbd must
     * not read into buffers given back), then gives the buffers back. A read that failed meanwhile is of no use
     * to anybody any more: the caller stopped asking.
     */
    @Override
    public void close() {
        while (!inFlight.isEmpty()) {
            poll().read().await();
        }
        lease.close(); // back to the budget at once, for the transfers waiting for it
    }
}
