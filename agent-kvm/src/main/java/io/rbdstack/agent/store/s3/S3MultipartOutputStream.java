package io.rbdstack.agent.store.s3;

import java.io.ByteArrayInputStream;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes one object as an S3 multipart upload with bounded memory: one 8 MiB part fills while the two before it
 * upload, each on a thread and connection of its own, so reading the source and sending overlap; at most three parts
 * (24 MiB) are in memory whatever the object's size, and the agent's uploads together hold no more buffers than
 * {@link #PART_BUFFERS} (each one at least). Nothing is visible under the key until {@link #complete};
 * {@link #abort()} discards what was sent.
 *
 * <p>S3 takes at most 10,000 parts in one upload (78.1 GiB of 8 MiB parts). Past them the data goes on in segments,
 * uploads of their own completed as objects named {@code <key>.segment-1}, {@code -2}…, each as it fills and the last
 * at {@link #complete}, before the key's own upload: a key that exists has all of its segments, and {@link S3Store}
 * reads them after it (only a key of {@code segmentParts} full parts can have any). (Parts that grew with the object
 * instead, as before, held up to three parts of 512 MiB: past 24 GiB the agent's 128 MiB heap ran out.)
 */
final class S3MultipartOutputStream extends OutputStream implements WritableByteChannel {

    static final int PART_BYTES = 8 << 20;
    /** S3's most parts in one upload. */
    static final int MAX_PARTS = 10_000;
    /** What follows a key's name in its segments' names, before their number (1, 2…). */
    static final String SEGMENT_SUFFIX = ".segment-";
    /** Parts uploading at once, each on its own connection, while the next one fills. */
    private static final int IN_FLIGHT = 2;
    /**
     * Part buffers of all the agent's uploads at once ({@code -Drbdstack.s3.part.buffers}, 4: 32 MiB of heap): each
     * upload has one at least and takes more only when free, giving them back as its parts end while another upload
     * waits (four backups to S3 at once, three buffers each, peaked the agent at 337 MiB). Served in the order asked;
     * an upload beyond as many at once waits for a buffer.
     */
    static final Semaphore PART_BUFFERS = new Semaphore(Integer.getInteger("rbdstack.s3.part.buffers", 4), true);

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final Duration timeout;
    private final int segmentParts;
    private final ExecutorService uploader;
    /** The upload under the key: the first {@code segmentParts} parts of data. */
    private final Upload target;
    /** The upload data goes to now: {@link #target}, or the last segment's. */
    private Upload current;
    /** The keys of the segments completed as objects, in order. */
    private final List<String> segments = new ArrayList<>();
    private final Deque<byte[]> free = new ArrayDeque<>();
    /** The part filling; null until the next write takes one. */
    private byte[] buffer;
    private int filled;
    /** Buffers of {@link #PART_BUFFERS} this stream holds (filling, on their way, or free to reuse). */
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

    private record Sending(Future<CompletedPart> part, byte[] buffer) {
    }

    /**
     * {@code timeout}: how long a part's upload may go without progress; an attempt may take one
     * timeout per 8 MiB of the part, plus one.
     */
    S3MultipartOutputStream(S3Client s3, String bucket, String key, Duration timeout) {
        this(s3, bucket, key, timeout, MAX_PARTS);
    }

    /** As the other, with {@code segmentParts} parts per upload (tests: a few, to make segments). */
    S3MultipartOutputStream(S3Client s3, String bucket, String key, Duration timeout, int segmentParts) {
        if (segmentParts < 1 || segmentParts > MAX_PARTS) {
            throw new IllegalArgumentException("segmentParts " + segmentParts + " is not within 1.." + MAX_PARTS);
        }
        this.s3 = s3;
        this.timeout = timeout;
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
        while (length > 0) {
            takeBuffer();
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
            size += n;
            if (filled == buffer.length) {
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
            int n = Math.min(data.remaining(), buffer.length - filled);
            data.get(buffer, filled, n);
            filled += n;
            size += n;
            if (filled == buffer.length) {
                sendPart();
            }
        }
        return length;
    }

    /**
     * A buffer for the next part, when none fills: one this stream freed; else a new one when {@link #PART_BUFFERS}
     * has one left (the stream's first waits for one); else its own oldest part's, once sent (a stream's buffers that
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
            if (buffersHeld > 0 && !tryAcquireInTurn()) {
                awaitOldest(current);
            } else {
                if (buffersHeld == 0) {
                    try {
                        PART_BUFFERS.acquire();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for a part buffer for " + key);
                    }
                }
                buffersHeld++;
                free.add(new byte[PART_BYTES]);
            }
        }
        buffer = free.poll();
        filled = 0;
    }

    /** A buffer of the budget if one is left and no upload waits for one before (a plain tryAcquire would barge). */
    private static boolean tryAcquireInTurn() {
        try {
            return PART_BUFFERS.tryAcquire(0, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Gives this stream's buffers back to the agent's budget (once): it sends no more parts. A part still on its way
     * after an abort keeps its array until its attempt times out: the budget may be exceeded by that much meanwhile.
     */
    private void releaseBuffers() {
        closed = true;
        PART_BUFFERS.release(buffersHeld);
        buffersHeld = 0;
        free.clear();
        buffer = null;
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
            uploader.shutdownNow();
            releaseBuffers();
        }
    }

    /**
     * Discards the upload's parts and segments (once); the key is left as it was. Throws the first failure once
     * everything was tried (the storage cleanup deletes what is left: the segments' names start with the key's).
     */
    void abort() {
        uploader.shutdownNow();
        releaseBuffers(); // a part still on its way keeps its array until its attempt times out
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
        byte[] part = buffer == null ? new byte[0] : buffer; // none taken: an empty object's one empty part
        int length = filled;
        upload.sending.add(new Sending(uploader.submit(() -> {
            Duration attempt = timeout.multipliedBy(1 + Math.max(1, length / PART_BYTES));
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(upload.key).uploadId(upload.uploadId)
                            .partNumber(partNumber).contentLength((long) length)
                            .overrideConfiguration(o -> o.apiCallAttemptTimeout(attempt)),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length,
                            "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        }), part));
        buffer = null; // the next write takes one (takeBuffer)
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
        try {
            upload.parts.add(oldest.part().get());
            upload.sending.poll();
            if (oldest.buffer().length == PART_BYTES) {
                if (buffersHeld > 1 && PART_BUFFERS.hasQueuedThreads()) {
                    buffersHeld--; // another upload waits for its first: this one goes on with fewer
                    PART_BUFFERS.release();
                } else {
                    free.add(oldest.buffer());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("cannot upload part " + (upload.parts.size() + 1) + " of " + upload.key + ": "
                    + cause.getMessage(), cause);
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
