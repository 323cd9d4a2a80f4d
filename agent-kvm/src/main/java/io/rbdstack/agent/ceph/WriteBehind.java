package io.rbdstack.agent.ceph;

import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes to an RBD image with many writes in flight, through librbd's asynchronous writes: a restore's
 * throughput is bound by the OSDs' latency, not by one write at a time ({@code rbd import-diff} keeps
 * several in flight too). No thread waits per write, so many small writes (an incremental's extents) can
 * be in flight as cheaply as a few large ones.
 *
 * <p>Only extents that do not overlap run at once: an extent overlapping one still in flight waits
 * for everything before it, so the image ends as if the writes had run one after another. librbd copies
 * a write's bytes when it is queued ({@code rbd_disable_zero_copy_writes}, which {@link RadosConnector} sets:
 * its zero-copy writes made a full restore 1.4–1.7× slower than {@code rbd import-diff}), so one native buffer
 * lent by the agent's {@link TransferBuffers} carries every write into librbd, and the writes in flight are
 * bounded by count and bytes (librbd's copies) rather than by buffers held for each.
 * A failed write is reported by the next call or by {@link #drain}; the ones already in flight still
 * end first (the image must not be closed under them).
 */
final class WriteBehind implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WriteBehind.class);

    private record Pending(long offset, long length, boolean zero, RbdCompletion completion) {
        boolean overlaps(long otherOffset, long otherLength) {
            return offset < otherOffset + otherLength && otherOffset < offset + length;
        }
    }

    private final RbdImage image;
    private final String what;
    private final int maxInFlight;
    private final long maxBytesInFlight;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private final TransferBuffers.Lease lease;
    private final Memory buffer;
    private final int maxLength;
    private long bytesInFlight;
    private long waitedNanos;

    /**
     * Waits for one of the agent's transfer buffers; no write may be longer than it. At most {@code maxInFlight}
     * writes and {@code maxBytesInFlight} bytes of them (at least one write) are in flight.
     */
    WriteBehind(RbdImage image, String what, int maxInFlight, long maxBytesInFlight, TransferBuffers budget)
            throws CephException {
        this.image = image;
        this.what = what;
        this.maxInFlight = maxInFlight;
        this.maxBytesInFlight = maxBytesInFlight;
        this.maxLength = budget.bufferBytes();
        try {
            this.lease = budget.take(1, 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephException("interrupted while waiting for a buffer to write " + what, -CephErrors.EINTR, e);
        }
        this.buffer = lease.buffers().get(0);
    }

    /** Queues {@code length} bytes of {@code data} for {@code offset}; the array can be reused at once. */
    void write(long offset, byte[] data, int length) throws CephException {
        if (length > maxLength) {
            throw new IllegalArgumentException("a write of " + length + " bytes to " + what + " is longer than a buffer");
        }
        makeRoomFor(offset, length, length);
        buffer.write(0, data, 0, length);
        RbdCompletion completion = RbdCompletion.create(what);
        // librbd has copied the bytes when this returns: the buffer is free for the next write.
        int rc = LibRbd.INSTANCE.rbd_aio_write(image.getPointer(), offset, length, buffer, completion.pointer());
        if (rc < 0) {
            completion.release();
            throw new CephException(writeFailure(offset, length) + CephErrors.describe(rc), rc);
        }
        bytesInFlight += length;
        inFlight.add(new Pending(offset, length, false, completion));
    }

    /** Queues zeroing {@code length} bytes at {@code offset}. */
    void zero(long offset, long length) throws CephException {
        makeRoomFor(offset, length, 0);
        RbdCompletion completion = RbdCompletion.create(what);
        int rc = LibRbd.INSTANCE.rbd_aio_write_zeroes(image.getPointer(), offset, length, completion.pointer(), 0, 0);
        if (rc < 0) {
            completion.release();
            throw new CephException(zeroFailure(offset, length) + CephErrors.describe(rc), rc);
        }
        inFlight.add(new Pending(offset, length, true, completion));
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

    private void makeRoomFor(long offset, long length, long bytes) throws CephException {
        if (inFlight.stream().anyMatch(pending -> pending.overlaps(offset, length))) {
            drain();
        }
        while (!inFlight.isEmpty() && (inFlight.size() >= maxInFlight || bytesInFlight + bytes > maxBytesInFlight)) {
            complete(inFlight.poll());
        }
    }

    /** Waits for the write's end and throws when it failed. */
    private void complete(Pending pending) throws CephException {
        long waitStart = System.nanoTime();
        long rc = pending.completion().await();
        waitedNanos += System.nanoTime() - waitStart;
        if (!pending.zero()) {
            bytesInFlight -= pending.length();
        }
        if (rc < 0) {
            throw new CephException((pending.zero() ? zeroFailure(pending.offset(), pending.length())
                    : writeFailure(pending.offset(), pending.length())) + CephErrors.describe((int) rc), (int) rc);
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
