package io.rbdstack.agent.store.s3;

import com.sun.jna.Memory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes one object as an S3 multipart upload with bounded memory: one 5 MiB part fills while the two before it
 * upload, each on a thread and connection of its own, so reading the source and sending overlap; at most three parts
 * (15 MiB, native: {@link PartBuffers}) are in memory whatever the object's size, and the agent's uploads together
 * hold no more buffers than its budget (each one at least). Nothing is visible under the key until {@link #complete};
 * {@link #abort()} discards what was sent. A buffer is reused or given back only once its part's upload has ended.
 *
 * <p>S3 takes at most 10,000 parts in one upload (48.8 GiB of 5 MiB parts). Past them the data goes on in segments,
 * uploads of their own completed as objects named {@code <key>.segment-1}, {@code -2}…, each as it fills and the last
 * at {@link #complete}, before the key's own upload: a key that exists has all of its segments, and {@link S3Store}
 * reads them after it (only a key of {@code segmentParts} full parts can have any). (Parts that grew with the object
 * instead, as before, held up to three parts of 512 MiB: past 24 GiB the agent's 128 MiB heap ran out.)
 */
final class S3MultipartOutputStream extends OutputStream implements WritableByteChannel {

    /**
     * S3's smallest part but the last: four concurrent backups to RGW peaked the agent at 245-248 MiB against 250-257
     * with 8 MiB parts (native buffers both), in the same time (lab, 2026-12-06). Files written before then have 8 MiB
     * parts ({@link S3Store} reads their segments too).
     */
    static final int PART_BYTES = 5 << 20;
    /** S3's most parts in one upload. */
    static final int MAX_PARTS = 10_000;
    /** What follows a key's name in its segments' names, before their number (1, 2…). */
    static final String SEGMENT_SUFFIX = ".segment-";
    /** Parts uploading at once, each on its own connection, while the next one fills. */
    private static final int IN_FLIGHT = 2;
    private final S3Client s3;
    private final String bucket;
    private final String key;
    /**
     * How long an ending stream waits for its parts on their way: one attempt's limit, two timeouts (the client's,
     * {@link S3Clients}). A part's retries swallow the interrupt that asks them to stop.
     */
    private final Duration partsEndWait;
    private final int segmentParts;
    private final ExecutorService uploader;
    /** The upload under the key: the first {@code segmentParts} parts of data. */
    private final Upload target;
    /** The upload data goes to now: {@link #target}, or the last segment's. */
    private Upload current;
    /** The keys of the segments completed as objects, in order. */
    private final List<String> segments = new ArrayList<>();
    /**
     * The part buffers of all the agent's uploads: each upload has one at least and takes more only when free, giving
     * them back as its parts end while another upload waits (four backups to S3 at once, three buffers each, peaked
     * the agent at 337 MiB).
     */
    private final PartBuffers budget = PartBuffers.AGENT;
    private final Deque<Memory> free = new ArrayDeque<>();
    /** The part filling and a view of it; null until the next write takes one. */
    private Memory buffer;
    private ByteBuffer fill;
    private int filled;
    /** Buffers of the budget this stream holds (filling, on their way, or free to reuse). */
    private int buffersHeld;
    /** Completed or aborted: its buffers are given back, no write takes one again. */
    private boolean closed;
    private boolean aborted;
    /** Whether the key's upload was asked to complete: it may have, though the answer was an error. */
    private boolean completing;
    private long size;

    /** One multipart upload: its key, id, the parts answered, and those on their way (oldest first). */
    private static final class Upload {
        final String key;
        final String uploadId;
        final List<CompletedPart> parts = new ArrayList<>();
        final Deque<Sending> sending = new ArrayDeque<>();

        Upload(String key, String uploadId) {
            this.key = key;
            this.uploadId = uploadId;
        }

        int partsStarted() {
            return parts.size() + sending.size();
        }
    }

    /** A part on its way; its buffer (null for an empty part) is read until its future is done. */
    private record Sending(Future<CompletedPart> part, Memory buffer) {
    }

    /**
     * {@code timeout}: how long a part's upload may go without progress (an attempt may take two, as the client's
     * {@link S3Clients} are set); {@code segmentParts} parts per upload ({@link #MAX_PARTS}; tests: a few, to make segments).
     */
    S3MultipartOutputStream(S3Client s3, String bucket, String key, Duration timeout, int segmentParts) {
        if (segmentParts < 1 || segmentParts > MAX_PARTS) {
            throw new IllegalArgumentException("segmentParts " + segmentParts + " is not within 1.." + MAX_PARTS);
        }
        this.s3 = s3;
        this.partsEndWait = timeout.multipliedBy(2);
        this.bucket = bucket;
        this.key = key;
        this.segmentParts = segmentParts;
        this.target = start(key);
        this.current = target;
        this.uploader = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
            Thread thread = new Thread(r, "s3-upload " + key);
            thread.setDaemon(true);
            return thread;
        });
    }

    private Upload start(String uploadKey) {
        return new Upload(uploadKey, s3.createMultipartUpload(b -> b.bucket(bucket).key(uploadKey)).uploadId());
    }

    /** Bytes written so far. */
    long size() {
        return size;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        while (length > 0) {
            takeBuffer();
            int n = Math.min(length, PART_BYTES - filled);
            fill.put(filled, bytes, offset, n);
            filled += n;
            offset += n;
            length -= n;
            size += n;
            if (filled == PART_BYTES) {
                sendPart();
            }
        }
    }

    /** The remaining bytes of {@code data} into the part filling, copied once (a backup's native read buffers). */
    @Override
    public int write(ByteBuffer data) throws IOException {
        int length = data.remaining();
        while (data.hasRemaining()) {
            takeBuffer();
            int n = Math.min(data.remaining(), PART_BYTES - filled);
            fill.put(filled, data, data.position(), n);
            data.position(data.position() + n);
            filled += n;
            size += n;
            if (filled == PART_BYTES) {
                sendPart();
            }
        }
        return length;
    }

    /**
     * A buffer for the next part, when none fills: one this stream freed; else one of the budget when it has one
     * left (the stream's first waits for one); else its own oldest part's, once sent (a stream's buffers that
     * are not free are all on their way: every part in flight is the current upload's). Waiting for a part may free
     * no buffer, when it goes back to the budget for another upload: the stream then waits for its next part (it
     * keeps one buffer at least).
     */
    private void takeBuffer() throws IOException {
        if (buffer != null) {
            return;
        }
        if (closed) {
            throw new IOException("the upload of " + key + " has ended: nothing more can be written to it");
        }
        while (free.isEmpty()) {
            Memory taken = buffersHeld > 0 ? budget.tryTakeInTurn() : takeFirst();
            if (taken == null) {
                awaitOldest(current);
            } else {
                buffersHeld++;
                free.add(taken);
            }
        }
        buffer = free.poll();
        fill = buffer.getByteBuffer(0, PART_BYTES);
        filled = 0;
    }

    private Memory takeFirst() throws IOException {
        try {
            return budget.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part buffer for " + key);
        }
    }

    /**
     * Ends the stream (once): no part starts any more (those on their way are interrupted, which ends one between
     * its steps); waits for them to end, for at most {@link #partsEndWait} in all, then gives every buffer back. A
     * part still on its way after that (retrying) or when this thread is interrupted has its buffer abandoned to
     * JNA's cleaner instead, freed once the part lets go of it, never reused. Returns whether this thread was
     * interrupted meanwhile: the caller restores the flag after its own calls to S3, which the SDK would refuse.
     */
    private boolean endParts() {
        if (closed) {
            return false;
        }
        closed = true;
        for (Runnable queued : uploader.shutdownNow()) { // submitted, never started: it never will
            ((Future<?>) queued).cancel(false);
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + partsEndWait.toNanos();
        for (Upload upload : current == target ? List.of(target) : List.of(target, current)) {
            for (Sending sending; (sending = upload.sending.poll()) != null; ) {
                if (sending.buffer() == null) {
                    continue;
                }
                buffersHeld--;
                if (!interrupted) {
                    try {
                        sending.part().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException | CancellationException | TimeoutException e) {
                        // failed, never started, or still retrying: isDone tells
                    }
                }
                if (sending.part().isDone()) {
                    budget.give(sending.buffer());
                } else {
                    budget.abandon();
                }
            }
        }
        if (buffer != null) {
            free.add(buffer);
        }
        buffer = null;
        fill = null;
        buffersHeld -= free.size();
        free.forEach(budget::give);
        free.clear();
        return interrupted;
    }

    @Override
    public boolean isOpen() {
        return !aborted;
    }

    /** Sends what is buffered as the last part and waits until every part is stored. */
    private void sendRemainingParts() throws IOException {
        if (filled > 0 || size == 0) {
            sendPart(); // S3 takes one empty part for an empty object
        }
        awaitAll(current);
    }

    /**
     * Sends the remaining parts and makes the object visible under its key: the last segment is completed first, the
     * key's upload last, so that a key that exists has all of its segments.
     */
    void complete() throws IOException {
        try {
            sendRemainingParts();
            if (current != target) {
                completeSegment();
            }
            List<CompletedPart> parts = target.parts;
            completing = true;
            call("complete the upload of " + key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                    .uploadId(target.uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts)
                            .build())));
        } finally {
            if (endParts()) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Discards the upload's parts and segments (once); the key is left as it was. Throws the first failure once
     * everything was tried (the storage cleanup deletes what is left: the segments' names start with the key's).
     */
    void abort() {
        boolean interrupted = endParts(); // first: a part that ended arrives before the upload's abort
        try {
            abortUploads();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void abortUploads() {
        if (aborted) {
            return;
        }
        aborted = true;
        RuntimeException failed = null;
        for (Upload upload : current == target ? List.of(target) : List.of(target, current)) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key).uploadId(upload.uploadId));
            } catch (RuntimeException e) {
                failed = keep(failed, e);
            }
        }
        if (completing) { // completed on the store with its answer lost: the key must not outlive its segments
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (RuntimeException e) {
                failed = keep(failed, e);
            }
        }
        for (String segment : segments) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(segment));
            } catch (RuntimeException e) {
                failed = keep(failed, e);
            }
        }
        segments.clear();
        if (failed != null) {
            throw failed;
        }
    }

    private static RuntimeException keep(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    /**
     * Hands the full buffer to an uploader, once fewer than {@link #IN_FLIGHT} parts are on their way; the upload
     * that has {@code segmentParts} parts already gives way to a new segment.
     */
    private void sendPart() throws IOException {
        if (current.partsStarted() == segmentParts) {
            nextSegment();
        }
        while (current.sending.size() >= IN_FLIGHT) {
            awaitOldest(current);
        }
        Upload upload = current;
        int partNumber = upload.partsStarted() + 1;
        Memory part = buffer; // none taken: an empty object's one empty part
        int length = filled;
        upload.sending.add(new Sending(uploader.submit(() -> {
            // Each attempt (the signature's hash, then the send; a retry) reads a view of its own.
            RequestBody body = RequestBody.fromContentProvider(() -> new ByteBufferInputStream(part == null
                    ? ByteBuffer.allocate(0) : part.getByteBuffer(0, length)), length, "application/octet-stream");
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(upload.key).uploadId(upload.uploadId)
                    .partNumber(partNumber).contentLength((long) length), body).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        }), part));
        buffer = null; // the next write takes one (takeBuffer)
        fill = null;
        filled = 0;
    }

    /** Ends the upload data went to (the key's stays open until the end; a segment's is completed), starts the next. */
    private void nextSegment() throws IOException {
        awaitAll(current);
        if (current != target) {
            completeSegment();
        }
        String segment = key + SEGMENT_SUFFIX + (segments.size() + 1);
        current = call("start segment " + segment, () -> start(segment));
    }

    /** Completes the segment data went to as an object of its own. */
    private void completeSegment() throws IOException {
        Upload segment = current;
        awaitAll(segment);
        call("complete segment " + segment.key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key(segment.key).uploadId(segment.uploadId).multipartUpload(CompletedMultipartUpload.builder()
                        .parts(segment.parts).build())));
        segments.add(segment.key);
        current = target; // no open segment: an abort from here on has the key's upload and the segments to undo
    }

    private void awaitAll(Upload upload) throws IOException {
        while (!upload.sending.isEmpty()) {
            awaitOldest(upload);
        }
    }

    private void awaitOldest(Upload upload) throws IOException {
        Sending oldest = upload.sending.peek();
        CompletedPart part;
        try {
            part = oldest.part().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("cannot upload part " + (upload.parts.size() + 1) + " of " + upload.key + ": "
                    + cause.getMessage(), cause);
        } // either way, a part left on its way is waited for by endParts before its buffer goes back
        upload.parts.add(part);
        upload.sending.poll();
        if (oldest.buffer() != null) {
            if (buffersHeld > 1 && budget.othersWaiting()) {
                buffersHeld--; // another upload waits for its first: this one goes on with fewer
                budget.give(oldest.buffer());
            } else {
                free.add(oldest.buffer());
            }
        }
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(String what, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw new IOException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
