package io.rbdstack.agent.ceph;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import io.rbdstack.spi.agent.handler.ProgressReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backups of RBD snapshots as "rbd diff v1" streams: a full one holds every allocated extent of a
 * snapshot, an incremental one what changed since an earlier snapshot (librbd's diff, of the objects
 * that the fast-diff feature's object maps say changed). Restoring applies them to an image in order. No
 * external tool is run, so no key ever reaches a command line.
 */
public final class RbdBackups {

    private static final Logger LOG = LoggerFactory.getLogger(RbdBackups.class);
    /** Largest read or write handed to librbd at once: one default RBD object. */
    static final int CHUNK = 4 << 20;
    /**
     * Reads of whole objects a backup keeps in flight: enough to hide the OSDs' latency, few enough to bound memory: a
     * backup starts on two 4 MiB buffers and takes up to this many more and two (held while written and hashed) as
     * its reads need them and the agent's budget allows (a backup to S3, whose parts buffer the data, keeps to two, or
     * to one read in halves when full), and librados holds its own for the reads in flight (rbd export-diff keeps up
     * to 10 in flight).
     */
    static final int READS_IN_FLIGHT = 4;
    /**
     * Reads (OSD operations) in flight at most: latency, not bandwidth, bounds many small reads (an incremental's
     * changed extents), so more go at once within the same buffers; librbd's asynchronous reads cost no thread each.
     */
    static final int MAX_SMALL_READS_IN_FLIGHT = 32;
    /**
     * Reads a backup holds at most while its digest runs behind (and at most two buffers' bytes of them): so that
     * the digest's thread is woken once for several of an incremental's small extents rather than once for each.
     */
    static final int MAX_HELD_WHILE_HASHING = 8;
    /**
     * Buffers a restore asks for: as many 4 MiB writes in flight, for the same reasons (rbd import-diff: up to 10).
     * Smaller writes share them ({@link WriteSlices}); when librbd copies the writes, one is allocated and the others
     * count librbd's copies ({@link WriteBehind}).
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
        return export(image, fromSnapshot, toSnapshot, out, hash, progress, false);
    }

    /**
     * As the other; {@code outBuffers}: {@code out} holds what it is given in buffers of its own while it sends it
     * (S3's parts), so the backup reads ahead little: sending, not reading, is what it waits for, and four concurrent
     * backups to S3 held the parts and the deeper read-ahead both (254-258 MiB against 248-249 with two buffers). A
     * full one reads half objects into one of the agent's buffers (one read in flight beside the half written and
     * hashed: 223-226 MiB against 239-240 with two buffers of whole objects, in the same time; lab, 2026-12-06); an
     * incremental reads into two, its small extents still {@value #MAX_SMALL_READS_IN_FLIGHT} at a time while they fit
     * (a few 64 KiB extents an object do; denser ones go fewer at once). Either way one record per extent.
     */
    public Transfer export(String image, String fromSnapshot, String toSnapshot, OutputStream out, HashBehind hash,
                           ProgressReporter progress, boolean outBuffers) throws CephException, IOException {
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
            com.ceph.rbd.jna.RbdImageInfo info = snapshot.stat();
            long size = info.size;
            RbdDiffStream.Writer writer = new RbdDiffStream.Writer(hash == null ? out : new HashingOutput(out, hash));
            if (fromSnapshot != null) {
                writer.fromSnapshot(fromSnapshot);
            }
            writer.toSnapshot(toSnapshot);
            writer.size(size);
            long data = 0;
            long zero = 0;
            long waited;
            long hashWaitedNanos = 0;
            long writeNanos = 0;
            long queueing;
            int operations;
            int buffers;
            int extents;
            long listingMillis;
            long listingWaitedMillis;
            String what = session.pool().cephPool() + "/" + image + "@" + toSnapshot;
            // A full backup to a store that buffers its writes reads half objects into one buffer cut in two: one
            // read in flight beside the half being written and hashed, as with two buffers of whole objects, in half
            // the memory (and half of librados' copy of the read in flight).
            boolean halves = outBuffers && fromSnapshot == null;
            int most = halves ? 1 : outBuffers ? 2 : READS_IN_FLIGHT + 2;
            // Ranges no longer than the halves ReadAhead cuts its buffer into.
            int chunk = halves ? TransferBuffers.AGENT.bufferBytes() / 2 : CHUNK;
            // The extents are listed on a thread of their own while the first ones are read and written. An
            // incremental's are small and several share an object: one OSD operation reads them all.
            try (ExtentListing listing = new ExtentListing(what, info.obj_size, chunk, fromSnapshot == null,
                    (sink, cancelled) -> listChangedExtents(image, snapshot, fromSnapshot, size, info.obj_size, sink,
                            cancelled));
                 SnapshotObjects objects = fromSnapshot == null ? null
                         : SnapshotObjects.of(session, snapshot, toSnapshot, what);
                 ReadAhead reads = new ReadAhead(snapshot, objects, what, listing, MAX_SMALL_READS_IN_FLIGHT,
                         hash == null ? 1 : MAX_HELD_WHILE_HASHING, most, halves, TransferBuffers.AGENT)) {
                // Of each buffer held, how many buffers had been lent to the digest once it was: it goes back
                // when the digest has that many.
                Deque<Long> lentWith = new ArrayDeque<>();
                try {
                    long reported = 0;
                    progress.report(0, progressTotal(listing, size));
                    ExtentListing.Extent extent;
                    for (int next = 0; (extent = listing.extent(next)) != null; next++) {
                        if (!extent.exists()) {
                            writer.zero(extent.offset(), extent.length());
                            zero += extent.length();
                            continue;
                        }
                        // As rbd export-diff: one record per extent, whatever pieces it is read in, and a zero
                        // record when all of it reads as zeroes (a hole punched in an object): the same file as
                        // Ceph's tool writes, and none of those bytes stored. Leading pieces that read as zeroes
                        // are written once a later one does not.
                        long leadingZeroes = 0;
                        boolean recordBegun = false;
                        for (long done = 0; done < extent.length(); ) {
                            if (hash != null) {
                                hashWaitedNanos += giveBackHashed(reads, hash, lentWith);
                            }
                            ByteBuffer bytes = reads.next();
                            int length = bytes.remaining();
                            long writeStart = System.nanoTime();
                            if (recordBegun) {
                                writer.data(bytes);
                            } else if (isZero(bytes)) {
                                leadingZeroes += length;
                            } else {
                                writer.beginWrite(extent.offset(), extent.length());
                                writeZeroes(writer, leadingZeroes);
                                writer.data(bytes);
                                recordBegun = true;
                            }
                            writeNanos += System.nanoTime() - writeStart;
                            if (hash != null) {
                                // A piece not written yet (zeroes so far) lent nothing: this buffer goes back
                                // after those lent before it.
                                lentWith.add(hash.lent());
                            }
                            done += length;
                            reported += length;
                            progress.report(reported, progressTotal(listing, size));
                        }
                        if (recordBegun) {
                            data += extent.length();
                        } else {
                            writer.zero(extent.offset(), extent.length());
                            zero += extent.length();
                        }
                    }
                    if (hash != null) {
                        long hashWait = System.nanoTime();
                        hash.awaitLent(hash.lent());
                        hashWaitedNanos += System.nanoTime() - hashWait;
                    }
                    progress.report(reported, reported); // the listing has ended: all there was
                } catch (IOException | CephException | RuntimeException | Error e) {
                    if (hash != null) {
                        hash.close(); // no longer reading the buffers that go back now
                    }
                    throw e;
                }
                buffers = reads.bufferSlots();
                waited = reads.waitedMillis();
                queueing = reads.queueingMillis();
                operations = reads.operations();
                extents = listing.extents();
                listingMillis = listing.listingMillis();
                listingWaitedMillis = listing.waitedMillis();
            }
            writer.end();
            LOG.info("Backed up {}/{}@{} ({}): {} bytes of data in {} extents ({} reads into {} of the agent's"
                    + " transfer buffers) in {} ms ({} ms listing them beside the reads, {} ms waiting for the listing,"
                    + " {} ms queueing reads, {} ms waiting for them, {} ms writing the data out, {} ms waiting for the"
                    + " digest)", session.pool().cephPool(), image, toSnapshot,
                    fromSnapshot == null ? "full" : "since " + fromSnapshot, data, extents, operations, buffers,
                    (System.nanoTime() - start) / 1_000_000, listingMillis, listingWaitedMillis, queueing, waited,
                    writeNanos / 1_000_000, hashWaitedNanos / 1_000_000);
            return new Transfer(size, data, zero, extents, fromSnapshot, toSnapshot);
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
        boolean copiesBeforeOpen = ImageConfig.librbdCopiesWrites(rbd, image);
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
                TransferBuffers.AGENT, copiesBeforeOpen)) {
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

    /** 64 KiB of zeroes, which data is compared with a slice at a time (vectorized by the JDK). */
    private static final ByteBuffer ZEROES = ByteBuffer.allocate(64 << 10).asReadOnlyBuffer();

    /** {@code length} zero bytes of the record begun, from {@link #ZEROES} (immutable: lent to a digest as it is). */
    private static void writeZeroes(RbdDiffStream.Writer writer, long length) throws IOException {
        for (long left = length; left > 0; ) {
            int n = (int) Math.min(ZEROES.capacity(), left);
            writer.data(ZEROES.slice(0, n));
            left -= n;
        }
    }

    /** Whether every remaining byte of {@code data} is zero; its position unchanged. */
    static boolean isZero(ByteBuffer data) {
        for (int at = data.position(); at < data.limit(); at += ZEROES.capacity()) {
            int length = Math.min(ZEROES.capacity(), data.limit() - at);
            if (data.slice(at, length).mismatch(ZEROES.slice(0, length)) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The bytes a backup's progress counts up to: its data bytes once listed, the image's size (no fewer) before,
     * since a report whose bytes reach the total is the last one sent.
     */
    static long progressTotal(ExtentListing listing, long size) {
        long listed = listing.dataBytesIfEnded();
        return listed >= 0 ? listed : size;
    }

    /**
     * Before the next read is handed out: gives back the buffers the digest is done with, and waits for the oldest
     * when as many are held as may be; how long it waited, in nanoseconds.
     */
    private static long giveBackHashed(ReadAhead reads, HashBehind hash, Deque<Long> lentWith)
            throws IOException, CephException {
        long waited = 0;
        while (!lentWith.isEmpty() && (hash.hashed(lentWith.peek()) || reads.mustRelease())) {
            long ticket = lentWith.poll();
            if (!hash.hashed(ticket)) {
                long start = System.nanoTime();
                hash.awaitLent(ticket);
                waited += System.nanoTime() - start;
            }
            reads.release();
        }
        return waited;
    }

    /**
     * Unchanged objects between two changed ones that are listed with them rather than apart: an exact listing is a
     * synchronous call that asks the OSD about each object of its range, ten at a time (librbd's
     * {@code rbd_concurrent_management_ops}), so up to about that many unchanged objects cost less in the same call
     * (one more batch at most) than a call of its own (one more round trip each).
     */
    static final int BRIDGED_OBJECTS = 8;

    /**
     * Lists the extents to back up, each to {@code sink} in order. An incremental of an image with fast-diff asks
     * the snapshots' object maps first which objects changed (no OSD operation per object), then librbd for the exact
     * extents of those objects alone: the listing costs what changed, not what the image holds (a 64 GiB image with
     * 320 objects written, 64 of them since the snapshot: 0.73-1.15 s for {@code rbd diff}, 0.05 s with
     * {@code --whole-object}). Otherwise one exact listing of the whole image, as {@code rbd export-diff} does. Only
     * the snapshot's own object map is checked here: should an earlier one in the span be invalid (fast-diff enabled
     * after it was taken), librbd answers the whole-object diff by listing every object, and the exact listing then
     * lists the changed ones again, correct but slower.
     */
    private void listChangedExtents(String image, RbdImage snapshot, String fromSnapshot, long size, long objectBytes,
                                    LibRbd.DiffCallback sink, BooleanSupplier cancelled) throws CephException {
        List<long[]> ranges = fromSnapshot != null && objectBytes > 0 && fastDiffValid(snapshot)
                ? changedObjects(image, snapshot, fromSnapshot, size, BRIDGED_OBJECTS * objectBytes, cancelled)
                : List.of(new long[] {0, size});
        for (long[] range : ranges) {
            if (cancelled.getAsBoolean()) {
                return; // the backup stopped: nobody reads what would be listed
            }
            diff(image, snapshot, fromSnapshot, range[0], range[1], false, sink);
        }
    }

    /** The changed objects since {@code fromSnapshot} from the object maps, as ranges ({@link #mergeInto}). */
    private List<long[]> changedObjects(String image, RbdImage snapshot, String fromSnapshot, long size,
                                        long bridgedBytes, BooleanSupplier cancelled) throws CephException {
        List<long[]> ranges = new ArrayList<>();
        Throwable[] failure = {null};
        diff(image, snapshot, fromSnapshot, 0, size, true, (offset, length, exists, arg) -> {
            if (cancelled.getAsBoolean()) {
                return -CephErrors.ECANCELED;
            }
            try {
                mergeInto(ranges, offset, length, bridgedBytes);
                return 0;
            } catch (RuntimeException | Error e) { // JNA would drop it and answer 0: an object missed
                failure[0] = e;
                return -CephErrors.EIO;
            }
        });
        if (failure[0] != null) {
            throw new CephException("cannot list the changed objects of " + session.pool().cephPool() + "/" + image
                    + ": " + failure[0], -CephErrors.EIO, failure[0]);
        }
        return ranges;
    }

    /**
     * Appends [offset, offset + length) to {@code ranges} (as [offset, length]): the last range grows to take it in
     * when it starts within it or at most {@code bridgedBytes} after it. librbd reports the objects of an image not
     * striped across objects in order, so the ranges are ascending; one reported before the last range (never seen)
     * would be a range of its own, listed all the same (called from librbd's callback, this never throws).
     */
    static void mergeInto(List<long[]> ranges, long offset, long length, long bridgedBytes) {
        long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
        if (last != null && offset >= last[0] && offset - (last[0] + last[1]) <= bridgedBytes) {
            last[1] = Math.max(last[1], offset + length - last[0]);
        } else {
            ranges.add(new long[] {offset, length});
        }
    }

    /**
     * Whether the snapshot's object map and fast-diff states can be trusted (librbd would otherwise list every
     * object to answer a whole-object diff, and the exact listing after it would list them again), and the image is
     * not striped across objects (whose extents librbd may report out of order).
     */
    private static boolean fastDiffValid(RbdImage snapshot) {
        LongByReference features = new LongByReference();
        LongByReference flags = new LongByReference();
        LongByReference stripes = new LongByReference();
        return LibRbd.INSTANCE.rbd_get_features(snapshot.getPointer(), features) == 0
                && (features.getValue() & LibRbd.FEATURE_FAST_DIFF) != 0
                && LibRbd.INSTANCE.rbd_get_stripe_count(snapshot.getPointer(), stripes) == 0
                && stripes.getValue() == 1
                && LibRbd.INSTANCE.rbd_get_flags(snapshot.getPointer(), flags) == 0
                && (flags.getValue() & (LibRbd.FLAG_OBJECT_MAP_INVALID | LibRbd.FLAG_FAST_DIFF_INVALID)) == 0;
    }

    private void diff(String image, RbdImage snapshot, String fromSnapshot, long offset, long length,
                      boolean wholeObjects, LibRbd.DiffCallback callback) throws CephException {
        int rc = LibRbd.INSTANCE.rbd_diff_iterate2(snapshot.getPointer(), fromSnapshot, offset, length, (byte) 1,
                (byte) (wholeObjects ? 1 : 0), callback, Pointer.NULL);
        if (rc < 0) {
            throw new CephException("cannot compute the changes of " + session.pool().cephPool() + "/" + image
                    + (fromSnapshot == null ? "" : " since snapshot " + fromSnapshot) + ": " + CephErrors.describe(rc),
                    rc);
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
