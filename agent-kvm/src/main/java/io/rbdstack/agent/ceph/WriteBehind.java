package io.rbdstack.agent.ceph;

import com.ceph.rbd.RbdImage;
import com.sun.jna.Memory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes to an RBD image with up to {@code depth} writes in flight: a restore's throughput is bound
 * by the OSDs' latency, not by one write at a time ({@code rbd import-diff} keeps several in flight
 * too). librbd's writes are thread-safe on one image handle.
 *
 * <p>Only extents that do not overlap run at once: an extent overlapping one still in flight waits
 * for everything before it, so the image ends as if the writes had run one after another. The
 * caller's array is copied into one of up to {@code depth} reused native buffers lent by the agent's
 * {@link TransferBuffers} (fewer, and so fewer writes in flight, while other transfers hold theirs).
 * A failed write is reported by the next call or by {@link #drain}; the ones already in flight still
 * end first (the image must not be closed under them).
 */
final class WriteBehind implements AutoCloseable {

    private record Pending(long offset, long length, Memory buffer, Future<?> done) {
        boolean overlaps(long otherOffset, long otherLength) {
            return offset < otherOffset + otherLength && otherOffset < offset + length;
        }
    }

    private final RbdImage image;
    private final String what;
    private final int depth;
    private final ExecutorService writers;
    private final Deque<Pending> inFlight = new ArrayDeque<>();
    private final Deque<Memory> free = new ArrayDeque<>();
    private final int maxLength;
    private final TransferBuffers.Lease lease;

    /** Waits for at least one of the agent's transfer buffers; no write may be longer than one. */
    WriteBehind(RbdImage image, String what, int depth, TransferBuffers buffers) throws CephException {
        this.image = image;
        this.what = what;
        this.maxLength = buffers.bufferBytes();
        try {
            this.lease = buffers.take(1, depth);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephException("interrupted while waiting for buffers to write " + what, -CephErrors.EINTR, e);
        }
        free.addAll(lease.buffers());
        this.depth = lease.buffers().size();
        this.writers = Executors.newFixedThreadPool(this.depth, r -> {
            Thread t = new Thread(r, "rbd-write-behind");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code length} bytes of {@code data} for {@code offset}; the array can be reused at once. */
    void write(long offset, byte[] data, int length) throws CephException {
        makeRoomFor(offset, length);
        if (length > maxLength) {
            throw new IllegalArgumentException("a write of " + length + " bytes to " + what + " is longer than a buffer");
        }
        Memory buffer = free.poll(); // makeRoomFor left one free: as many buffers as writes in flight
        buffer.write(0, data, 0, length);
        inFlight.add(new Pending(offset, length, buffer, writers.submit(() -> {
            long written = LibRbd.INSTANCE.rbd_write(image.getPointer(), offset, length, buffer);
            if (written != length) {
                throw new CephException("cannot write " + length + " bytes at " + offset + " of " + what + ": "
                        + (written < 0 ? CephErrors.describe((int) written) : "wrote " + written),
                        written < 0 ? (int) written : -CephErrors.EIO);
            }
            return null;
        })));
    }

    /** Queues zeroing {@code length} bytes at {@code offset}. */
    void zero(long offset, long length) throws CephException {
        makeRoomFor(offset, length);
        inFlight.add(new Pending(offset, length, null, writers.submit(() -> {
            int rc = LibRbd.INSTANCE.rbd_write_zeroes(image.getPointer(), offset, length, 0, 0);
            if (rc < 0) {
                throw new CephException("cannot zero " + length + " bytes at " + offset + " of " + what + ": "
                        + CephErrors.describe(rc), rc);
            }
            return null;
        })));
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
        while (inFlight.size() >= depth) {
            complete(inFlight.poll());
        }
    }

    private void complete(Pending pending) throws CephException {
        try {
            pending.done().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CephException ceph) {
                throw ceph;
            }
            throw new CephException("writing " + what + " failed: " + e.getCause(), -CephErrors.EIO, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephException("interrupted while writing " + what, -CephErrors.EINTR, e);
        } finally {
            if (pending.buffer() != null) {
                free.add(pending.buffer());
            }
        }
    }

    /**
     * Waits, however long it takes, until no write is in flight (the caller closes the image next),
     * then stops the writers. Failures are {@link #drain}'s to report.
     */
    @Override
    public void close() {
        writers.shutdown();
        ExecutorEnd.await(writers);
        lease.close(); // back to the budget at once, for the transfers waiting for it
    }
}
