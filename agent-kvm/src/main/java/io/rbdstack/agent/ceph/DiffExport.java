package io.rbdstack.agent.ceph;

import io.rbdstack.spi.agent.handler.ProgressReporter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One backup's diff stream, written while librbd still lists the changed extents: each extent listed
 * ({@link #extent}) has its reads queued at once, and the records go out in the listed order as their reads end, so
 * listing, reading, writing and (on its own thread) hashing overlap, as in {@code rbd export-diff}, which reads from
 * inside librbd's diff callback. Listing everything first cost an incremental 19-104 ms before its first read.
 */
final class DiffExport {

    /** A record not written yet: a read's bytes ({@code data}, at most one chunk) or zeroes. */
    private record Pending(long offset, long length, boolean data) {
    }

    private final RbdDiffStream.Writer writer;
    private final ReadAhead reads;
    private final HashBehind hash;
    private final ProgressReporter progress;
    private final boolean full;
    private final long sizeBytes;
    private final Deque<Pending> listedNotWritten = new ArrayDeque<>();
    /** Of each buffer held, how many buffers had been lent to the digest once it was: it goes back when the digest has. */
    private final Deque<Long> lentWith = new ArrayDeque<>();
    private long listedData;
    private long listedEnd;
    private long extents;
    private long dataBytes;
    private long zeroBytes;
    private long writtenData;
    private long writeNanos;
    private long hashWaitedNanos;

    /**
     * {@code full}: the diff has no from-snapshot and restores onto a new, all-zero image, so its zeroed extents carry
     * nothing. The writer has its metadata records already; {@code hash} (null: none) digests what it writes.
     */
    DiffExport(RbdDiffStream.Writer writer, ReadAhead reads, HashBehind hash, ProgressReporter progress, boolean full,
               long sizeBytes) {
        this.writer = writer;
        this.reads = reads;
        this.hash = hash;
        this.progress = progress;
        this.full = full;
        this.sizeBytes = sizeBytes;
        progress.report(0, sizeBytes);
    }

    /** One extent librbd listed, in the image's order: queues its reads, writing older records to make room. */
    void extent(long offset, long length, boolean exists) throws IOException, CephException {
        listedEnd = offset + length;
        if (!exists) {
            if (!full) {
                extents++;
                zeroBytes += length;
                listedNotWritten.add(new Pending(offset, length, false));
            }
        } else {
            extents++;
            dataBytes += length;
            listedData += length;
            for (long done = 0; done < length; ) {
                int chunk = (int) Math.min(RbdBackups.CHUNK, length - done);
                while (!reads.hasRoomFor(chunk)) {
                    makeRoom();
                }
                reads.queue(new ReadAhead.Range(offset + done, chunk));
                listedNotWritten.add(new Pending(offset + done, chunk, true));
                done += chunk;
            }
        }
        writeReady();
    }

    /** After the last extent: writes every record left and waits for the digest; the stream's end is the caller's. */
    void finish() throws IOException, CephException {
        listedEnd = sizeBytes;
        while (!listedNotWritten.isEmpty()) {
            writeOldest();
        }
        if (hash != null) {
            long start = System.nanoTime();
            hash.awaitLent(hash.lent());
            hashWaitedNanos += System.nanoTime() - start;
        }
        progress.report(writtenData, listedData);
    }

    long extents() {
        return extents;
    }

    long dataBytes() {
        return dataBytes;
    }

    long zeroBytes() {
        return zeroBytes;
    }

    long writeMillis() {
        return writeNanos / 1_000_000;
    }

    long hashWaitedMillis() {
        return hashWaitedNanos / 1_000_000;
    }

    /** Frees a slice for the next read: writes out the oldest read, or gives back a buffer the digest still holds. */
    private void makeRoom() throws IOException, CephException {
        if (reads.inFlight() > 0) {
            writeOldest();
        } else {
            giveBackOldestHeld();
        }
    }

    /** Writes the records whose bytes are there, without waiting for a read or the digest. */
    private void writeReady() throws IOException, CephException {
        while (!listedNotWritten.isEmpty() && (!listedNotWritten.peek().data()
                || reads.nextReady() && !mustWaitForDigest((int) listedNotWritten.peek().length()))) {
            writeOldest();
        }
    }

    /** Writes the oldest record not written, waiting for its read. */
    private void writeOldest() throws IOException, CephException {
        Pending record = listedNotWritten.poll();
        if (!record.data()) {
            writer.zero(record.offset(), record.length());
            return;
        }
        if (hash != null) {
            giveBackHashed(RbdBackups.heldWhileHashing((int) record.length()));
        }
        ByteBuffer bytes = reads.next();
        long start = System.nanoTime();
        writer.write(record.offset(), bytes);
        writeNanos += System.nanoTime() - start;
        if (hash != null) {
            lentWith.add(hash.lent());
        }
        writtenData += record.length();
        progress.report(writtenData, listedData + (sizeBytes - listedEnd));
    }

    /** Whether the next read's buffer would wait for the digest: as many are held as may be, the oldest unhashed. */
    private boolean mustWaitForDigest(int length) {
        return hash != null && lentWith.size() >= RbdBackups.heldWhileHashing(length) && !hash.hashed(lentWith.peek());
    }

    /** Gives back the buffers the digest is done with, and waits for the oldest while {@code most} or more are held. */
    private void giveBackHashed(int most) throws IOException {
        while (!lentWith.isEmpty() && (lentWith.size() >= most || hash.hashed(lentWith.peek()))) {
            giveBackOldestHeld();
        }
    }

    private void giveBackOldestHeld() throws IOException {
        if (hash != null) {
            long ticket = lentWith.poll();
            if (!hash.hashed(ticket)) {
                long start = System.nanoTime();
                hash.awaitLent(ticket);
                hashWaitedNanos += System.nanoTime() - start;
            }
        }
        reads.release();
    }
}
