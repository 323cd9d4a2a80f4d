package io.rbdstack.agent.ceph;

import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
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
 * incremental's, three or so per object), waiting for enough free slices while other reads are in flight.
 *
 * <p>Memory is bounded and reused: up to {@code depth + held} native buffers (or slices of one) in all ({@code held}
 * handed out, the others being filled), lent by the agent's {@link TransferBuffers} (fewer, and so fewer reads in
 * flight, while other transfers hold theirs), which librbd reads into and the caller reads from where they are (a
 * backup's writes and, on another thread, its digest, {@link HashBehind}). Fresh 4 MiB
 * Java arrays per read (and JNA's fresh native copy of each) made the agent's resident memory grow to
 * hundreds of MiB during one backup.
 */
final class ReadAhead implements AutoCloseable {

    /** One range of the image. */
    record Range(long offset, int length) {
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
    private final List<Range> ranges;
    /** Non-null: the ranges of one object are read in one librados operation ({@link SnapshotObjects}). */
    private final SnapshotObjects objects;
    private int nextRange;
    private int operationsInFlight;
    private int operations;
    /** Slices of the buffers lent, in all. */
    private final int slices;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private final Deque<Pointer> free = new ArrayDeque<>();
    /** Handed out and not given back yet, oldest first. */
    private final Deque<Pointer> handedOut = new ArrayDeque<>();
    private final TransferBuffers.Lease lease;
    private final int depth;
    private final int maxHeld;
    private long waitedNanos;
    private long queueingNanos;

    /**
     * Waits for at least two of the agent's transfer buffers (one for a single range), so a transfer that starts
     * while others hold the budget waits for theirs to end. No range may be longer than a buffer. Ranges much
     * shorter than a buffer (an incremental's extents) share one: each buffer is cut into slices of the longest
     * range, so many small reads in flight take no more of the budget than one large one. The caller may hold up to
     * {@code held} ranges' bytes at once ({@link #maxHeld}: fewer when the buffers lent are few).
     */
    ReadAhead(RbdImage image, String what, List<Range> ranges, int depth, int held, TransferBuffers buffers)
            throws CephException {
        this(image, null, what, ranges, depth, held, buffers);
    }

    /**
     * {@link #ReadAhead(RbdImage, String, List, int, int, TransferBuffers)}, the ranges of one object read together
     * through {@code objects} (null: each through librbd); {@code depth} then counts operations, not ranges.
     */
    ReadAhead(RbdImage image, SnapshotObjects objects, String what, List<Range> ranges, int depth, int held,
              TransferBuffers buffers) throws CephException {
        this.image = image;
        this.objects = objects;
        this.what = what;
        this.ranges = List.copyOf(ranges);
        int longest = ranges.stream().mapToInt(Range::length).max().orElse(1);
        if (longest > buffers.bufferBytes()) {
            throw new IllegalArgumentException("a range of " + what + " is longer than a transfer buffer");
        }
        int slicesPerBuffer = buffers.bufferBytes() / longest;
        long slicesWanted = Math.max(1, Math.min((long) depth + held, ranges.size()));
        int most = (int) ((slicesWanted + slicesPerBuffer - 1) / slicesPerBuffer);
        try {
            this.lease = buffers.take(Math.min(2, most), most);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephException("interrupted while waiting for buffers to read " + what, -CephErrors.EINTR, e);
        }
        for (Memory buffer : lease.buffers()) {
            for (int slice = 0; slice < slicesPerBuffer && free.size() < slicesWanted; slice++) {
                free.add(buffer.share((long) slice * longest, longest));
            }
        }
        this.slices = free.size();
        // Up to maxHeld slices are handed out while the others are read into; at least one read goes at a time.
        this.maxHeld = Math.max(1, Math.min(held, free.size() - 1));
        this.depth = Math.max(1, Math.min(depth, free.size() - maxHeld));
        try {
            fill();
        } catch (CephException | RuntimeException | Error e) {
            close(); // waits for the reads queued before the failure
            throw e;
        }
    }

    /**
     * The next range's bytes (a buffer of exactly its length), in the order the ranges were given. The memory is
     * reused: the buffer is valid until {@link #release} gives it back, or until this call finds {@link #maxHeld}
     * buffers handed out and gives back the oldest (with a limit of 1: until the next call).
     */
    ByteBuffer next() throws CephException {
        while (handedOut.size() >= maxHeld) {
            release();
        }
        fill(); // into slices given back since the last call
        Pending head = poll();
        if (head == null) {
            throw new IllegalStateException("no more ranges");
        }
        try {
            fill(); // into the slice just given back, while the head's read ends
        } catch (CephException | RuntimeException | Error e) {
            // The head is out of inFlight, so close() would not wait for it: librbd must be done with its slice
            // before the buffers go back.
            head.read().await();
            free.add(head.buffer());
            throw e;
        }
        long waitStart = System.nanoTime();
        long read = head.read().await();
        waitedNanos += System.nanoTime() - waitStart;
        Range range = head.range();
        if (read != range.length()) {
            free.add(head.buffer()); // librbd is done with it
            throw new CephException("cannot read " + range.length() + " bytes at " + range.offset() + " of " + what
                    + ": " + (read < 0 ? CephErrors.describe((int) read) : "got " + read),
                    read < 0 ? (int) read : -CephErrors.EIO);
        }
        handedOut.add(head.buffer());
        return head.buffer().getByteBuffer(0, range.length()).asReadOnlyBuffer();
    }

    /** Gives back the oldest buffer {@link #next} handed out, which the caller no longer reads. */
    void release() {
        Pointer oldest = handedOut.poll();
        if (oldest == null) {
            throw new IllegalStateException("no buffer is handed out");
        }
        free.add(oldest);
    }

    /** Buffers handed out and not given back. */
    int held() {
        return handedOut.size();
    }

    /** How many buffers the caller may hold at once (the {@code held} asked for, or fewer). */
    int maxHeld() {
        return maxHeld;
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

    private void queueReads() throws CephException {
        while (operationsInFlight < depth && nextRange < ranges.size() && !free.isEmpty()) {
            long object = objects == null ? -1 : objects.objectOf(ranges.get(nextRange));
            if (object >= 0) {
                if (!queueObjectRead(object)) {
                    return; // more slices first
                }
                continue;
            }
            Range range = ranges.get(nextRange++);
            Pointer buffer = free.poll();
            RbdCompletion completion = RbdCompletion.create(what);
            int rc = LibRbd.INSTANCE.rbd_aio_read2(image.getPointer(), range.offset(), range.length(), buffer,
                    completion.pointer(), LibRbd.FADVISE_NOCACHE);
            if (rc < 0) {
                completion.release();
                free.add(buffer);
                throw new CephException("cannot read " + range.length() + " bytes at " + range.offset() + " of " + what
                        + ": " + CephErrors.describe(rc), rc);
            }
            inFlight.add(new Pending(range, buffer, completion::await, true));
            operationsInFlight++;
            operations++;
        }
    }

    /**
     * One librados operation for the next ranges that lie in {@code object}; false when it waits for slices: while
     * other reads are in flight, one operation per object rather than one per slice given back.
     */
    private boolean queueObjectRead(long object) throws CephException {
        int end = nextRange + 1;
        int most = slices - maxHeld; // slices the caller cannot be holding
        while (end < ranges.size() && end - nextRange < most && objects.objectOf(ranges.get(end)) == object) {
            end++;
        }
        if (end - nextRange > free.size()) {
            if (operationsInFlight > 0) {
                return false;
            }
            end = nextRange + free.size();
        }
        List<Range> group = ranges.subList(nextRange, end);
        List<Pointer> buffers = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            buffers.add(free.poll());
        }
        SnapshotObjects.Read read;
        try {
            read = objects.read(object, group, buffers);
        } catch (CephException | RuntimeException | Error e) {
            free.addAll(buffers);
            throw e;
        }
        for (int i = 0; i < group.size(); i++) {
            int index = i;
            inFlight.add(new Pending(group.get(i), buffers.get(i), () -> read.await(index), i == group.size() - 1));
        }
        operationsInFlight++;
        operations++;
        nextRange = end;
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
