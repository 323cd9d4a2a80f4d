package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to an RBD image with many writes in flight, through librbd's asynchronous writes: a restore's
 * throughput is bound by the OSDs' latency, not by one write at a time ({@code rbd import-diff} keeps
 * several in flight too). No thread waits per write, so many small writes (an incremental's extents) can
 * be in flight as cheaply as a few large ones.
 *
 * <p>Only extents that do not overlap run at once: an extent overlapping one still in flight waits
 * for everything before it, so the image ends as if the writes had run one after another. The
 * caller's array is copied into a slice of the native buffers lent by the agent's {@link TransferBuffers}
 * ({@link WriteSlices}: small writes share a buffer, a 4 MiB one takes one), and the slices lent bound the bytes in
 * flight: fewer, while other transfers hold theirs. When librbd copies each write before {@code rbd_aio_write2}
 * returns (the image's {@code rbd_disable_zero_copy_writes}, true unless a pool's or image's {@code conf_} metadata
 * says otherwise: {@link ImageConfig#librbdCopiesWrites}), the copies are the bytes in flight and one buffer, its
 * slices reused at once, stages them; the other slots lent count librbd's copies (restores two at a time peaked at
 * 248-249 MiB of agent RSS instead of 277 in a lab). Otherwise a slice is reused only once its write has ended. (Zero-copy
 * writes made a full restore 1.4–1.7× slower than {@code rbd import-diff}, 1.0× with the copy.)
 * A failed write is reported by the next call or by {@link #drain}; the ones already in flight still
 * end first (the image must not be closed under them).
 */
final class WriteBehind implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);

    /** A write in flight: {@code data} unless a zeroing, {@code buffer} the one its slice holds until it ends, or -1. */
    private record Pending(long offset, long length, boolean data, int buffer, RbdCompletion completion) {
        boolean overlaps(long otherOffset, long otherLength) {
            return offset < otherOffset + otherLength && otherOffset < offset + length;
        }
    }

    private final RbdImage image;
    private final String what;
    private final int maxInFlight;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private final TransferBuffers.Lease lease;
    private final List<Memory> buffers;
    private final WriteSlices slices;
    private final int maxLength;
    /** Whether librbd has copied a write's bytes once queued, so its slice is free at once. */
    private final boolean librbdCopies;
    /** Data bytes in flight at most: the slots lent (less the staging buffer's when librbd copies). */
    private final long maxBytesInFlight;
    private long bytesInFlight;
    private long waitedNanos;

    /**
     * Waits for at least one of the agent's transfer buffers (up to {@code buffers}); no write may be longer than
     * one. At most {@code maxInFlight} writes are in flight, and no more bytes than the slots lent. Writes reuse
     * their buffer at once only when librbd copied them: {@code copiesBeforeOpen} ({@link
     * ImageConfig#librbdCopiesWrites(Rbd, String)} before {@code image} was opened) and the open image's settings.
     */
    WriteBehind(RbdImage image, String what, int buffers, int maxInFlight, TransferBuffers budget,
                boolean copiesBeforeOpen) throws CephException {
        this.image = image;
        this.what = what;
        this.maxInFlight = maxInFlight;
        this.maxLength = budget.bufferBytes();
        // Copied writes need two slots at least: the staging buffer's, and one for librbd's copies.
        this.librbdCopies = copiesBeforeOpen && buffers >= 2 && librbdCopies(image, what);
        try {
            this.lease = librbdCopies ? budget.take(2, buffers, 1) : budget.take(1, buffers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephException("interrupted while waiting for buffers to write " + what, -CephErrors.EINTR, e);
        }
        this.buffers = lease.buffers();
        this.slices = new WriteSlices(this.buffers.size(), maxLength);
        // Copied writes: the staging buffer takes one slot, librbd's copies the others.
        this.maxBytesInFlight = (long) (librbdCopies ? lease.slots() - 1 : lease.slots()) * maxLength;
    }

    /** Whether librbd copies the writes to {@code image}; when its settings cannot be read, as if it did not. */
    private static boolean librbdCopies(RbdImage image, String what) {
        try {
            return ImageConfig.librbdCopiesWrites(image);
        } catch (CephException e) {
            LOG.warn("Cannot read the settings of {} ({}): each write keeps its buffer until it ends", what,
                    e.getMessage());
            return false;
        }
    }

    /** Whether a write's buffer is free again once queued (librbd copies it), rather than once it ended (tests). */
    boolean reusesBuffersAtOnce() {
        return librbdCopies;
    }

    /** Queues {@code length} bytes of {@code data} for {@code offset}; the array can be reused at once. */
    void write(long offset, byte[] data, int length) throws CephException {
        if (length > maxLength) {
            throw new IllegalArgumentException("a write of " + length + " bytes to " + what + " is longer than a buffer");
        }
        makeRoomFor(offset, length);
        while (bytesInFlight + length > maxBytesInFlight) {
            complete(inFlight.poll());
        }
        WriteSlices.Slice slice = slices.next(length);
        while (slices.mustWait(slice)) {
            complete(inFlight.poll());
        }
        Pointer source = buffers.get(slice.buffer()).share(slice.offset(), length);
        source.write(0, data, 0, length);
        RbdCompletion completion = RbdCompletion.create(what);
        int rc = LibRbd.INSTANCE.rbd_aio_write2(image.getPointer(), offset, length, source, completion.pointer(),
                LibRbd.FADVISE_NOCACHE);
        if (rc < 0) {
            completion.release();
            throw new CephException(writeFailure(offset, length) + CephErrors.describe(rc), rc);
        }
        bytesInFlight += length;
        if (librbdCopies) {
            inFlight.add(new Pending(offset, length, true, -1, completion)); // the slice is free: librbd has a copy
        } else {
            slices.started(slice.buffer());
            inFlight.add(new Pending(offset, length, true, slice.buffer(), completion));
        }
    }

    /** Queues zeroing {@code length} bytes at {@code offset}. */
    void zero(long offset, long length) throws CephException {
        makeRoomFor(offset, length);
        RbdCompletion completion = RbdCompletion.create(what);
        int rc = LibRbd.INSTANCE.rbd_aio_write_zeroes(image.getPointer(), offset, length, completion.pointer(), 0,
                LibRbd.FADVISE_NOCACHE);
        if (rc < 0) {
            completion.release();
            throw new CephException(zeroFailure(offset, length) + CephErrors.describe(rc), rc);
        }
        inFlight.add(new Pending(offset, length, false, -1, completion));
    }

    /** Waits until every queued write has ended; throws the first that failed. */
    void drain() throws CephException {
        CephException failed = null;
        while (!inFlight.isEmpty()) {
            try {
                complete(inFlight.poll());
            } catch (CephException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private void makeRoomFor(long offset, long length) throws CephException {
        if (inFlight.stream().anyMatch(pending -> pending.overlaps(offset, length))) {
            drain();
        }
        while (inFlight.size() >= maxInFlight) {
            complete(inFlight.poll());
        }
    }

    /** Waits for the write's end (librbd is done with its slice then) and throws when it failed. */
    private void complete(Pending pending) throws CephException {
        long waitStart = System.nanoTime();
        long rc = pending.completion().await();
        waitedNanos += System.nanoTime() - waitStart;
        if (pending.data()) {
            bytesInFlight -= pending.length();
        }
        if (pending.buffer() >= 0) {
            slices.ended(pending.buffer());
        }
        if (rc < 0) {
            throw new CephException((pending.data() ? writeFailure(pending.offset(), pending.length())
                    : zeroFailure(pending.offset(), pending.length())) + CephErrors.describe((int) rc), (int) rc);
        }
    }

    /** How long the caller waited for writes to end so far: near the whole restore when the OSDs bound it. */
    long waitedMillis() {
        return waitedNanos / 1_000_000;
    }

    private String writeFailure(long offset, long length) {
        return "cannot write " + length + " bytes at " + offset + " of " + what + ": ";
    }

    private String zeroFailure(long offset, long length) {
        return "cannot zero " + length + " bytes at " + offset + " of " + what + ": ";
    }

    /**
     * Waits, however long it takes, until no write is in flight (the caller closes the image next and the
     * buffers go back to the budget), then gives the buffers back. Failures are {@link #drain}'s to report.
     */
    @Override
    public void close() {
        while (!inFlight.isEmpty()) {
            try {
                complete(inFlight.poll());
            } catch (CephException e) {
                // A caller that got this far without an exception has drained; this one is failing already.
                LOG.warn("After a failure, a write still in flight failed too: {}", e.getMessage());
            }
        }
        lease.close(); // back to the budget at once, for the transfers waiting for it
    }
}
