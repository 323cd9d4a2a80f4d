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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes one object as an S3 multipart upload with bounded memory: one part fills while the two
 * before it upload, each on a thread and connection of its own, so reading the source and sending
 * overlap, and at most three parts are in memory. Nothing is visible under the key until
 * {@link #complete}; {@link #abort()} discards the parts. Parts are 8 MiB, doubling every 1000
 * parts, so S3's 10,000-part limit is never reached and a backup of up to 8 GiB holds 24 MiB.
 */
final class S3MultipartOutputStream extends OutputStream implements WritableByteChannel {

    static final int FIRST_PART_BYTES = 8 << 20;
    /** Parts uploading at once, each on its own connection, while the next one fills. */
    private static final int IN_FLIGHT = 2;
    private static final int MAX_PART_BYTES = 512 << 20;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String uploadId;
    private final Duration timeout;
    private final ExecutorService uploader;
    private final List<CompletedPart> parts = new ArrayList<>();
    /** Parts sent and not yet answered, oldest first; their buffers come back to {@link #free} when answered. */
    private final Deque<Upload> uploading = new ArrayDeque<>();
    private final Deque<byte[]> free = new ArrayDeque<>();
    private byte[] buffer = new byte[FIRST_PART_BYTES];
    private int filled;
    private boolean aborted;
    private long size;

    private record Upload(Future<CompletedPart> part, byte[] buffer) {
    }

    /**
     * {@code timeout}: how long a part's upload may go without progress; an attempt may take one
     * timeout per 8 MiB of the part, plus one.
     */
    S3MultipartOutputStream(S3Client s3, String bucket, String key, Duration timeout) {
        this.s3 = s3;
        this.timeout = timeout;
        this.bucket = bucket;
        this.key = key;
        this.uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        this.uploader = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
            Thread thread = new Thread(r, "s3-upload " + key);
            thread.setDaemon(true);
            return thread;
        });
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

    String uploadId() {
        return uploadId;
    }

    /** Sends what is buffered as the last part and waits until every part is stored. */
    private void sendRemainingParts() throws IOException {
        if (filled > 0 || parts.isEmpty() && uploading.isEmpty()) {
            sendPart(); // S3 takes one empty part for an empty object
        }
        while (!uploading.isEmpty()) {
            awaitOldestUpload();
        }
    }

    /** Sends the remaining parts and makes the object visible under its key. */
    void complete() throws IOException {
        sendRemainingParts();
        try {
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (SdkException e) {
            throw new IOException("cannot complete the upload of " + key + ": " + e.getMessage(), e);
        } finally {
            uploader.shutdownNow();
        }
    }

    /** Discards the upload's parts (once); the key is left as it was. */
    void abort() {
        uploader.shutdownNow();
        if (!aborted) {
            aborted = true;
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        }
    }

    /** Hands the full buffer to an uploader, once fewer than {@link #IN_FLIGHT} parts are on their way. */
    private void sendPart() throws IOException {
        while (uploading.size() >= IN_FLIGHT) {
            awaitOldestUpload();
        }
        int partNumber = parts.size() + uploading.size() + 1;
        byte[] part = buffer;
        int length = filled;
        uploading.add(new Upload(uploader.submit(() -> {
            Duration attempt = timeout.multipliedBy(1 + Math.max(1, length / FIRST_PART_BYTES));
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                            .contentLength((long) length)
                            .overrideConfiguration(o -> o.apiCallAttemptTimeout(attempt)),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part, 0, length), length,
                            "application/octet-stream")).eTag();
            return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
        }), part));
        int next = (int) Math.min(MAX_PART_BYTES, (long) FIRST_PART_BYTES << (partNumber / 1000));
        free.removeIf(old -> old.length != next); // parts only grow: a smaller buffer is not needed again
        // A new buffer only when none is free: with the parts in flight, never more than IN_FLIGHT + 1.
        buffer = free.isEmpty() ? new byte[next] : free.poll();
        filled = 0;
    }

    private void awaitOldestUpload() throws IOException {
        Upload oldest = uploading.peek();
        try {
            parts.add(oldest.part().get());
            uploading.poll();
            free.add(oldest.buffer());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading " + key);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IOException("cannot upload part " + (parts.size() + 1) + " of " + key + ": "
                    + cause.getMessage(), cause);
        }
    }
}
