package io.rbdstack.agent.ceph;

import com.ceph.rbd.RbdImage;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads ranges of an RBD image with up to {@code depth} reads in flight and hands them out in order:
 * a backup's throughput is bound by the OSDs' latency, not by one read at a time (Ceph's own
 * export-diff does the same). librbd's reads are thread-safe on one image handle.
 */
final class ReadAhead implements AutoCloseable {

    /** One range of the image. */
    record Range(long offset, int length) {
    }

    private final RbdImage image;
    private final String what;
    private final Iterator<Range> ranges;
    private final ExecutorService readers;
    private final Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final int depth;

    ReadAhead(RbdImage image, String what, List<Range> ranges, int depth) {
        this.image = image;
        this.what = what;
        this.ranges = ranges.iterator();
        this.depth = depth;
        this.readers = Executors.newFixedThreadPool(depth, r -> {
            Thread t = new Thread(r, "rbd-read-ahead");
            t.setDaemon(true);
            return t;
        });
        fill();
    }

    /** The next range's bytes (exactly its length), in the order the ranges were given. */
    byte[] next() throws CephException {
        Future<byte[]> head = inFlight.poll();
        if (head == null) {
            throw new IllegalStateException("no more ranges");
        }
        fill();
        try {
            return head.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CephException ceph) {
                throw ceph;
            }
            throw new CephException("reading " + what + " failed: " + e.getCause(), -CephErrors.EIO, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CephException("interrupted while reading " + what, -CephErrors.EINTR, e);
        }
    }

    private void fill() {
        while (inFlight.size() < depth && ranges.hasNext()) {
            Range range = ranges.next();
            inFlight.add(readers.submit(() -> read(range)));
        }
    }

    private byte[] read(Range range) throws CephException {
        byte[] buffer = new byte[range.length()];
        int read = image.read(range.offset(), buffer, range.length());
        if (read != range.length()) {
            throw new CephException("cannot read " + range.length() + " bytes at " + range.offset() + " of " + what
                    + ": " + (read < 0 ? CephErrors.describe(read) : "got " + read), read < 0 ? read : -CephErrors.EIO);
        }
        return buffer;
    }

    /**
     * Stops the readers and waits, however long it takes, until no read is in flight: the caller
     * closes the image next, and librbd must not read into a closed image.
     */
    @Override
    public void close() {
        readers.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (readers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
