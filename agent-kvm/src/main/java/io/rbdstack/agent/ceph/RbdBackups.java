package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.Objects;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of RBD snapshots as "rbd diff v1" streams: a full one holds every allocated extent of a
 * snapshot, an incremental one what changed since an earlier snapshot (librbd's diff, which the
 * fast-diff feature answers from the object map). Restoring applies them to an image in order. No
 * external tool is run, so no key ever reaches a command line.
 */
public final class RbdBackups {

    private static final Logger LOG = LoggerFactory.getLogger(RbdBackups.class);
    /** Largest read or write handed to librbd at once: one default RBD object. */
    static final int CHUNK = 4 << 20;
    /**
     * 4 MiB reads a backup keeps in flight: enough to hide the OSDs' latency, few enough to bound memory
     * ((4 + 1) x 4 MiB of buffers per backup, 4 + 2 with its digest, and librados' own buffers for the reads in
     * flight; rbd export-diff keeps up to 10 in flight).
     */
    static final int READS_IN_FLIGHT = 4;
    /**
     * Reads in flight at most, when they are small (an incremental's changed extents): latency, not bandwidth, bounds
     * many small reads, so more go at once within the same buffers ({@link SliceRing}); librbd's asynchronous reads
     * cost no thread each.
     */
    static final int MAX_READS_IN_FLIGHT = 32;
    /** Small read buffers a backup holds at most while its digest runs behind ({@link #heldWhileHashing}). */
    static final int MAX_HELD_WHILE_HASHING = 8;
    /**
     * Buffers a restore asks for: as many 4 MiB writes in flight, for the same reasons (rbd import-diff: up to 10).
     * Smaller writes share them ({@link SliceRing}).
     */
    static final int WRITE_BUFFERS = 8;
    /**
     * Writes a restore keeps in flight at most when they are small (an incremental's extents, ~64 KiB each):
     * latency bounds them, and asynchronous writes cost no thread each.
     */
    static final int MAX_WRITES_IN_FLIGHT = 32;

    /** What a backup or restore moved, and the snapshots the diff goes from (null: a full one) and to. */
    public record Transfer(long sizeBytes, long dataBytes, long zeroBytes, long extents, String fromSnapshot,
                           String toSnapshot) {
    }

    private final RadosSession session;

    public RbdBackups(RadosSession session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    /**
     * Writes snapshot {@code toSnapshot} of {@code image} to {@code out}: everything when
     * {@code fromSnapshot} is null, else only the changes since it (which must still exist).
     */
    public Transfer export(String image, String fromSnapshot, String toSnapshot, OutputStream out)
            throws CephException, IOException {
        return export(image, fromSnapshot, toSnapshot, out, ProgressReporter.NONE);
    }

    /** {@link #export(String, String, String, OutputStream)}, reporting the data bytes written of those to write. */
    public Transfer export(String image, String fromSnapshot, String toSnapshot, OutputStream out,
                           ProgressReporter progress) throws CephException, IOException {
        return export(image, fromSnapshot, toSnapshot, out, null, progress);
    }

    /**
     * {@link #export(String, String, String, OutputStream, ProgressReporter)}, every byte written fed to {@code hash}
     * too (null: none), whose thread hashes the data where librbd read it while this one writes it to {@code out}.
     * When the export fails, {@code hash} is closed before the buffers go back.
     */
    public Transfer export(String image, String fromSnapshot, String toSnapshot, OutputStream out, HashBehind hash,
                           ProgressReporter progress) throws CephException, IOException {
        RbdSnapshots.checkNames(image, toSnapshot);
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage snapshot;
        try {
            snapshot = rbd.openReadOnly(image, toSnapshot);
        } catch (RbdException e) {
            throw failure(Math.abs(e.getReturnValue()) == CephErrors.ENOENT ? "no such image or snapshot "
                    + toSnapshot : "cannot open snapshot " + toSnapshot, image, e);
        }
        try {
            long start = System.nanoTime();
            long size = snapshot.stat().size;
            RbdDiffStream.Writer writer = new RbdDiffStream.Writer(hash == null ? out : new HashingOutput(out, hash));
            if (fromSnapshot != null) {
                writer.fromSnapshot(fromSnapshot);
            }
            writer.toSnapshot(toSnapshot);
            writer.size(size);
            DiffExport export;
            long listed;
            long waited;
            long queueing;
            try (ReadAhead reads = new ReadAhead(snapshot, session.pool().cephPool() + "/" + image + "@" + toSnapshot,
                    MAX_READS_IN_FLIGHT, hash == null ? 1 : MAX_HELD_WHILE_HASHING,
                    READS_IN_FLIGHT + (hash == null ? 1 : 2), TransferBuffers.AGENT)) {
                export = new DiffExport(writer, reads, hash, progress, fromSnapshot == null, size);
                try {
                    listChanges(image, snapshot, fromSnapshot, size, export);
                    listed = System.nanoTime();
                    export.finish();
                } catch (IOException | CephException | RuntimeException | Error e) {
                    if (hash != null) {
                        hash.close(); // no longer reading the buffers that go back now
                    }
                    throw e;
                }
                waited = reads.waitedMillis();
                queueing = reads.queueingMillis();
            }
            writer.end();
            LOG.info("Backed up {}/{}@{} ({}): {} bytes of data in {} extents in {} ms (listed in the first {} ms; {} ms"
                    + " queueing reads, {} ms waiting for them, {} ms writing the data out, {} ms waiting for the digest)",
                    session.pool().cephPool(), image, toSnapshot, fromSnapshot == null ? "full" : "since " + fromSnapshot,
                    export.dataBytes(), export.extents(), (System.nanoTime() - start) / 1_000_000,
                    (listed - start) / 1_000_000, queueing, waited, export.writeMillis(), export.hashWaitedMillis());
            return new Transfer(size, export.dataBytes(), export.zeroBytes(), export.extents(), fromSnapshot,
                    toSnapshot);
        } catch (RbdException e) {
            throw failure("cannot read snapshot " + toSnapshot, image, e);
        } finally {
            close(rbd, snapshot);
        }
    }

    /**
     * Applies one backup stream to {@code image}, resizing it to exactly the size the stream ends
     * with (as {@code rbd import-diff} does: a volume reverted to a smaller snapshot shrank). A full
     * backup goes onto a new image; each incremental one onto the image the previous ones restored,
     * in order.
     */
    public Transfer restore(String image, InputStream in) throws CephException, IOException {
        RbdSnapshots.checkNames(image, "x");
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage target;
        try {
            target = rbd.open(image);
        } catch (RbdException e) {
            throw failure(Math.abs(e.getReturnValue()) == CephErrors.ENOENT ? "no such image" : "cannot open the image",
                    image, e);
        }
        long start = System.nanoTime();
        long[] extents = {0};
        String what = session.pool().cephPool() + "/" + image;
        try (WriteBehind writes = new WriteBehind(target, what, WRITE_BUFFERS, MAX_WRITES_IN_FLIGHT,
                TransferBuffers.AGENT)) {
            RbdDiffStream.Summary summary = RbdDiffStream.read(in, new RbdDiffStream.Target() {
                @Override
                public void size(long bytes) throws CephException {
                    writes.drain();
                    try {
                        if (target.stat().size != bytes) {
                            target.resize(bytes);
                        }
                    } catch (RbdException e) {
                        throw failure("cannot resize the image to " + bytes + " bytes", image, e);
                    }
                }

                @Override
                public void write(long offset, byte[] data, int length) throws CephException {
                    writes.write(offset, data, length);
                    extents[0]++;
                }

                @Override
                public void zero(long offset, long length) throws CephException {
                    writes.zero(offset, length);
                    extents[0]++;
                }
            }, CHUNK);
            writes.drain();
            LOG.info("Restored {} bytes of data into {} from a backup of snapshot {}: {} extents in {} ms ({} ms"
                    + " waiting for writes)", summary.writtenBytes(), what, summary.toSnapshot(), extents[0],
                    (System.nanoTime() - start) / 1_000_000, writes.waitedMillis());
            return new Transfer(summary.sizeBytes(), summary.writtenBytes(), summary.zeroedBytes(), extents[0],
                    summary.fromSnapshot(), summary.toSnapshot());
        } finally {
            close(rbd, target);
        }
    }

    /**
     * Read buffers a backup holds while its digest runs behind its writes, by the length of the next read: two of
     * 4 MiB (one being written, one hashed), more of small reads (up to 8 of 512 KiB or less), so that the digest's
     * thread is woken once for several of an incremental's small extents rather than once for each.
     */
    static int heldWhileHashing(int length) {
        return (int) Math.max(2, Math.min(MAX_HELD_WHILE_HASHING, (long) CHUNK / Math.max(1, length)));
    }

    /**
     * Feeds {@code export} the extents of {@code snapshot} that changed since {@code fromSnapshot} (all allocated ones
     * when null) as librbd lists them. librbd calls back on this thread, in the image's order (its OrderedThrottle
     * completes the per-object listings on the caller's thread), so the export reads and writes from inside the
     * callback and the listing goes on when it returns. Should a librbd call back on a thread of its own, the extents
     * are kept and fed once the listing ended: waiting for reads on librados' thread could wait for ever.
     */
    private void listChanges(String image, RbdImage snapshot, String fromSnapshot, long size, DiffExport export)
            throws CephException, IOException {
        Thread caller = Thread.currentThread();
        Deque<long[]> otherThreads = new ConcurrentLinkedDeque<>();
        Throwable[] failed = {null};
        LibRbd.DiffCallback feed = (offset, length, exists, arg) -> {
            if (Thread.currentThread() != caller || !otherThreads.isEmpty()) {
                otherThreads.add(new long[] {offset, length, exists});
                return 0;
            }
            try {
                export.extent(offset, length, exists != 0);
                return 0;
            } catch (IOException | CephException | RuntimeException | Error e) {
                failed[0] = e;
                return -CephErrors.ECANCELED; // stops the listing
            }
        };
        int rc = LibRbd.INSTANCE.rbd_diff_iterate2(snapshot.getPointer(), fromSnapshot, 0, size, (byte) 1, (byte) 0,
                feed, Pointer.NULL);
        if (failed[0] instanceof IOException e) {
            throw e;
        } else if (failed[0] instanceof CephException e) {
            throw e;
        } else if (failed[0] instanceof RuntimeException e) {
            throw e;
        } else if (failed[0] instanceof Error e) {
            throw e;
        }
        if (rc < 0) {
            throw new CephException("cannot compute the changes of " + session.pool().cephPool() + "/" + image
                    + (fromSnapshot == null ? "" : " since snapshot " + fromSnapshot) + ": " + CephErrors.describe(rc),
                    rc);
        }
        for (long[] extent : otherThreads) {
            export.extent(extent[0], extent[1], extent[2] != 0);
        }
    }

    private void close(Rbd rbd, RbdImage image) {
        try {
            rbd.close(image);
        } catch (RbdException e) {
            LOG.warn("Closing RBD image {} failed: {}", image.getName(), CephErrors.describe(e.getReturnValue()));
        }
    }

    private CephException failure(String what, String image, RbdException e) {
        return new CephException(what + ": " + session.pool().cephPool() + "/" + image + ": "
                + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
    }
}
