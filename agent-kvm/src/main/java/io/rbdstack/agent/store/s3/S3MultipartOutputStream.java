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
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes one object as an S3 multipart upload with bounded memory: one 8 MiB part fills while the two before it
 * upload, each on a thread and connection of its own, so reading the source and sending overlap, and at most three
 * parts (24 MiB) are in memory, whatever the object's size. Nothing is visible under the key until {@link #complete};
 * {@link #abort()} discards what was sent.
 *
 * <p>S3 takes at most 10,000 parts per upload. The upload under the key takes the first {@code segmentParts} parts of
 * data (9,000 of 8 MiB: 70.3 GiB); what follows goes to segments, uploads of their own completed as objects named
 * {@code <key>.segment-N}, which {@link #complete} copies into the key's upload on the store's side
 * ({@code UploadPartCopy}, up to 5 GiB a part, with the part numbers left) before completing it, then deletes. A
 * backup's stream may so reach about 4.6 TiB (67 uploads of 70.3 GiB, each copied in 15 parts); a longer one
 * fails naming the bound. (Parts that grew with the object
 * instead, as before, held up to three parts of 512 MiB: past 24 GiB the agent's 128 MiB heap ran out.)
 */
final class S3MultipartOutputStream extends OutputStream implements WritableByteChannel {

    private static final Logger LOG = LoggerFactory.getLogger(S3MultipartOutputStream.class);

    static final int PART_BYTES = 8 << 20;
    /** S3's most parts in one upload. */
    static final int MAX_PARTS = 10_000;
    /** Parts of data in one upload; the key's keeps the part numbers after them for the segments' copies. */
    static final int SEGMENT_PARTS = 9_000;
    /** S3's largest part, the most one {@code UploadPartCopy} copies. */
    static final long MAX_COPY_BYTES = 5L << 30;
    /** Parts uploading at once, each on its own connection, while the next one fills. */
    private static final int IN_FLIGHT = 2;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final Duration timeout;
    private final int segmentParts;
    private final ExecutorService uploader;
    /** The upload under the key: the first segment's data, then the later segments' copies. */
    private final Upload target;
    /** The upload data goes to now: {@link #target}, or the last segment's. */
    private Upload current;
    /** Later segments completed as objects, in order, with their sizes. */
    private final List<Segment> segments = new ArrayList<>();
    private final Deque<byte[]> free = new ArrayDeque<>();
    private byte[] buffer = new byte[PART_BYTES];
    private int filled;
    private boolean aborted;
    private long size;

    /** One multipart upload: its key, id, the parts answered, those on their way (oldest first), its bytes. */
    private static final class Upload {
        final String key;
        final String uploadId;
        final List<CompletedPart> parts = new ArrayList<>();
        final Deque<Sending> sending = new ArrayDeque<>();
        long bytes;

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

    private record Segment(String key, long bytes) {
    }

    /**
     * {@code timeout}: how long a part's upload may go without progress; an attempt may take one
     * timeout per 8 MiB of the part, plus one.
     */
    S3MultipartOutputStream(S3Client s3, String bucket, String key, Duration timeout) {
        this(s3, bucket, key, timeout, SEGMENT_PARTS);
    }

    /** As the public one, with {@code segmentParts} parts of data per upload (tests: a few, to make segments). */
    S3MultipartOutputStream(S3Client s3, String bucket, String key, Duration timeout, int segmentParts) {
        if (segmentParts < 1 || segmentParts >= MAX_PARTS) {
            throw new IllegalArgumentException("segmentParts " + segmentParts + " is not within 1.." + (MAX_PARTS - 1));
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
     * Sends the remaining parts and makes the object visible under its key: a later segment is completed, each
     * copied into the key's upload, the upload completed, the segments deleted.
     */
    void complete() throws IOException {
        try {
            sendRemainingParts();
            if (current != target) {
                completeSegment();
            }
            int partNumber = segmentParts;
            for (Segment segment : segments) {
                partNumber = copy(segment, partNumber);
            }
            List<CompletedPart> parts = new ArrayList<>(target.parts);
            parts.sort(Comparator.comparingInt(CompletedPart::partNumber));
            call("complete the upload of " + key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key)
                    .uploadId(target.uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts)
                            .build())));
        } finally {
            uploader.shutdownNow();
        }
        deleteSegments(); // the object is complete: a segment left is only space, which the storage cleanup frees
    }

    /**
     * Copies {@code segment} into the key's upload from part {@code after} + 1 on, in equal parts of at most
     * {@link #MAX_COPY_BYTES} (so none but the object's last is under S3's 5 MiB); the last part number used.
     */
    private int copy(Segment segment, int after) throws IOException {
        int pieces = (int) Math.max(1, (segment.bytes() + MAX_COPY_BYTES - 1) / MAX_COPY_BYTES);
        long piece = (segment.bytes() + pieces - 1) / pieces;
        int partNumber = after;
        for (long start = 0; start < segment.bytes(); start += piece) { // a segment has a byte at least
            long end = Math.min(segment.bytes(), start + piece) - 1;
            int number = ++partNumber;
            String range = "bytes=" + start + "-" + end;
            Duration attempt = timeout.multipliedBy(1 + Math.max(1, (end - start + 1) / PART_BYTES));
            String etag = call("copy " + segment.key() + " into " + key, () -> s3.uploadPartCopy(b -> b
                    .sourceBucket(bucket).sourceKey(segment.key()).copySourceRange(range)
                    .destinationBucket(bucket).destinationKey(key).uploadId(target.uploadId).partNumber(number)
                    .overrideConfiguration(o -> o.apiCallAttemptTimeout(attempt))).copyPartResult().eTag());
            target.parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        return partNumber;
    }

    /** Discards the upload's parts and segments (once); the key is left as it was. */
    void abort() {
        uploader.shutdownNow();
        if (aborted) {
            return;
        }
        aborted = true;
        RuntimeException failed = null;
        for (Upload upload : current == target ? List.of(target) : List.of(target, current)) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key).uploadId(upload.uploadId));
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        deleteSegments();
        if (failed != null) {
            throw failed;
        }
    }

    private void deleteSegments() {
        for (Segment segment : segments) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(segment.key()));
            } catch (RuntimeException e) {
                LOG.warn("Cannot delete segment {} of {} (the storage cleanup deletes it later): {}", segment.key(),
                        key, e.getMessage());
            }
        }
        segments.clear();
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
        byte[] part = buffer;
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
        upload.bytes += length;
        // A new buffer only when none is free: with the parts in flight, never more than IN_FLIGHT + 1.
        buffer = free.isEmpty() ? new byte[PART_BYTES] : free.poll();
        filled = 0;
    }

    /**
     * Ends the upload data went to (the key's stays open for the copies; a segment's is completed) and starts the
     * next segment's, once the copies of all segments so far and of a full next one still fit in the key's upload.
     */
    private void nextSegment() throws IOException {
        long segmentBytes = (long) segmentParts * PART_BYTES;
        long copiesPerSegment = (segmentBytes + MAX_COPY_BYTES - 1) / MAX_COPY_BYTES;
        int segmentsAfter = segments.size() + (current == target ? 1 : 2); // the one data went to, and the next
        if (segmentParts + segmentsAfter * copiesPerSegment > MAX_PARTS) {
            throw new IOException("cannot write " + key + ": past " + size + " bytes, longer than one S3 object"
                    + " of parts of " + PART_BYTES + " bytes can take here");
        }
        awaitAll(current);
        if (current != target) {
            completeSegment();
        }
        current = start(key + ".segment-" + (segments.size() + 1));
    }

    /** Completes the segment data went to as an object of its own. */
    private void completeSegment() throws IOException {
        Upload segment = current;
        awaitAll(segment);
        call("complete segment " + segment.key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key(segment.key).uploadId(segment.uploadId).multipartUpload(CompletedMultipartUpload.builder()
                        .parts(segment.parts).build())));
        segments.add(new Segment(segment.key, segment.bytes));
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
            free.add(oldest.buffer());
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
