package io.rbdstack.agent.store.s3;

import io.rbdstack.agent.store.ImageStore;
import io.rbdstack.agent.store.StoreRelativePath;
import io.rbdstack.spi.storage.ImageStorePathException;
import io.rbdstack.spi.storage.S3StoreUrl;
import io.rbdstack.spi.storage.StoreCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An image store in an S3 bucket ({@code s3://<endpoint>/<bucket>?usehttps=..&region=..}), written
 * and read through the AWS SDK with path-style addressing. A file is an object whose key is its path
 * relative to the store; it is written as a multipart upload ({@link S3MultipartOutputStream}), which
 * makes it visible only once complete, so a failed backup never leaves a complete-looking object
 * ({@link ImageStore#writeAtomically}); each backup attempt writes a key of its own. A file longer than one upload
 * takes (10,000 parts of 5 MiB) goes on in segments, objects named {@code <key>.segment-N} completed before the key:
 * reads, sizes and deletes take them along, and the leftovers' clean-up keeps a kept file's.
 * Restores stream the object back. The keys come with each command; errors name the store, never a key.
 * S3 has no capacity: the store reports none.
 */
public final class S3Store implements ImageStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);
    /** A segment's number in its name: 1, 2…; at most 9 digits. */
    private static final String SEGMENT_NUMBER = "[1-9][0-9]{0,8}";

    private final S3StoreUrl url;
    private final S3Client s3;
    private final Duration timeout;
    /** The part size of the files written before 5 MiB parts (2026-12-06): a key of 10,000 of them has segments. */
    static final int EARLIER_PART_BYTES = 8 << 20;
    /** Parts of one upload: past them a file goes on in segments ({@link S3MultipartOutputStream}). */
    private final int segmentParts;

    private S3Store(S3StoreUrl url, S3Client s3, Duration timeout, int segmentParts) {
        this.url = url;
        this.s3 = s3;
        this.timeout = timeout;
        this.segmentParts = segmentParts;
    }

    public static S3Store of(String url, StoreCredentials credentials) throws IOException {
        return of(url, credentials, S3Clients.DEFAULT_TIMEOUT);
    }

    /** The store whose every read or write on a connection waits at most {@code timeout}. */
    public static S3Store of(String url, StoreCredentials credentials, Duration timeout) throws IOException {
        return of(url, credentials, timeout, S3MultipartOutputStream.MAX_PARTS);
    }

    /** As the other, with uploads of {@code segmentParts} parts (tests: a few, to make segments). */
    static S3Store of(String url, StoreCredentials credentials, Duration timeout, int segmentParts)
            throws IOException {
        return of(url, credentials, timeout, segmentParts, null);
    }

    /**
     * As the other, an HTTPS endpoint's certificate checked against {@code trust} rather than the JVM's trusted
     * certificates when not null (tests: the test RGW's own CA).
     */
    static S3Store of(String url, StoreCredentials credentials, Duration timeout, int segmentParts,
                      TrustManager[] trust) throws IOException {
        S3StoreUrl store;
        try {
            store = S3StoreUrl.parse(url);
        } catch (ImageStorePathException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (credentials == null) {
            throw new IOException("S3 image store " + store.url() + " came without its access and secret keys");
        }
        return new S3Store(store, S3Clients.of(store, credentials, timeout, trust), timeout, segmentParts);
    }

    @Override
    public long[] capacity() {
        return new long[] {0, 0};
    }

    /** Proves the bucket can be written: puts and deletes a probe object. */
    @Override
    public void checkWritable() throws IOException {
        String probe = ".rbdstack-probe-" + UUID.randomUUID() + ".tmp";
        call("write a probe object to", () -> s3.putObject(b -> b.bucket(url.bucket()).key(probe),
                RequestBody.fromBytes(new byte[] {1})));
        call("delete the probe object from", () -> s3.deleteObject(b -> b.bucket(url.bucket()).key(probe)));
    }

    /** Its parts (5 MiB; one to three an upload, as the agent's budget allows) hold what a backup read while sent. */
    @Override
    public boolean buffersWrites() {
        return true;
    }

    @Override
    public <T> Written<T> writeAtomically(String relative, Writer<T> writer) throws Exception {
        String key = key(relative);
        if (headObject(relative).isPresent()) {
            throw ImageStore.taken(relative + " in S3 image store " + url.url());
        }
        S3MultipartOutputStream out = call("start an upload to", () -> new S3MultipartOutputStream(s3, url.bucket(),
                key, timeout, segmentParts));
        try {
            T result = writer.write(out);
            out.complete(); // the attempt's own key: nothing is replaced
            return new Written<>(result, out.size());
        } catch (Exception | Error e) {
            // An interrupted backup (its connection to the server lost) still aborts its upload: the SDK
            // refuses calls on an interrupted thread, so the flag is set aside for the abort.
            boolean interrupted = Thread.interrupted();
            try {
                out.abort();
            } catch (SdkException cleanup) {
                e.addSuppressed(cleanup);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (e instanceof IOException io) {
                throw new IOException("S3 image store " + url.url() + ": " + io.getMessage(), io);
            }
            throw e;
        }
    }

    /**
     * Deletes the objects of {@code directory} named {@code prefix...} but those in {@code keep}, and aborts their
     * uploads (the same checks: directly in the folder, not kept); how many went, an open upload counted as a
     * directory store counts a partial file.
     */
    @Override
    public int deleteLeftovers(String directory, String prefix, Set<String> keep) throws IOException {
        ImageStore.checkLeftoverPrefix(prefix);
        String start = key(directory + "/" + prefix);
        String folder = start.substring(0, start.lastIndexOf('/') + 1);
        // Only keys directly in the folder (none deeper: a prefix match could reach "a.b/c"), and none kept, nor a
        // kept file's segments.
        Predicate<String> leftover = key -> key.lastIndexOf('/') == folder.length() - 1
                && !keep.contains(key.substring(folder.length()))
                && !keep.contains(segmentOf(key.substring(folder.length())));
        return call("delete the leftovers " + start + "* from", () -> {
            int deleted = 0; // objects and open uploads, as a directory counts files and partial files
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(url.bucket()).prefix(start)).contents()) {
                if (leftover.test(object.key())) {
                    s3.deleteObject(b -> b.bucket(url.bucket()).key(object.key()));
                    deleted++;
                }
            }
            try {
                for (MultipartUpload upload : s3.listMultipartUploadsPaginator(b -> b.bucket(url.bucket())
                        .prefix(start)).uploads()) {
                    if (leftover.test(upload.key())) {
                        s3.abortMultipartUpload(b -> b.bucket(url.bucket()).key(upload.key())
                                .uploadId(upload.uploadId()));
                        deleted++;
                    }
                }
            } catch (S3Exception e) {
                if (e.statusCode() != 403) {
                    throw e;
                }
                // A key allowed to write but not to list uploads: its killed uploads stay until the bucket's
                // lifecycle rule (AbortIncompleteMultipartUpload) or an admin removes them.
                LOG.warn("S3 image store {}: not allowed to list the open uploads of {}*; any left stay", url.url(),
                        start);
            }
            return deleted;
        });
    }

    @Override
    public InputStream openForReading(String relative) throws IOException {
        String key = key(relative);
        ResponseInputStream<GetObjectResponse> first;
        try {
            first = s3.getObject(b -> b.bucket(url.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(relative, null, "not in image store " + url.url());
        } catch (SdkException e) {
            throw failure("read " + relative + " from", e);
        }
        List<S3Object> segments;
        try {
            Long length = first.response().contentLength();
            segments = length != null && isFullUpload(length) ? segments(relative) : List.of();
        } catch (IOException | RuntimeException e) {
            first.abort();
            throw e;
        }
        InputStream in = new AbortingInputStream(first);
        return segments.isEmpty() ? in : new SegmentsInputStream(in, segments.iterator(), segment -> {
            try {
                return new AbortingInputStream(s3.getObject(b -> b.bucket(url.bucket()).key(segment.key())));
            } catch (SdkException e) {
                throw failure("read " + segment.key() + " (a segment of " + relative + ") from", e);
            }
        });
    }

    @Override
    public long size(String relative) throws IOException {
        long size = head(relative).orElseThrow(() -> new NoSuchFileException(relative, null, "not in image store "
                + url.url()));
        if (isFullUpload(size)) {
            for (S3Object segment : segments(relative)) {
                size += segment.size();
            }
        }
        return size;
    }

    /**
     * Deletes the file: its key first (it is gone at once, never half there), then its segments; a delete that
     * failed half-way deletes the segments left when asked again.
     */
    @Override
    public boolean delete(String relative) throws IOException {
        String key = key(relative);
        Optional<Long> size = head(relative);
        if (size.isPresent()) {
            call("delete " + relative + " from", () -> s3.deleteObject(b -> b.bucket(url.bucket()).key(key)));
        }
        List<S3Object> segments = size.isEmpty() || isFullUpload(size.get()) ? segmentObjects(relative)
                : List.of();
        for (S3Object segment : segments) {
            call("delete " + segment.key() + " (a segment of " + relative + ") from",
                    () -> s3.deleteObject(b -> b.bucket(url.bucket()).key(segment.key())));
        }
        return size.isPresent() || !segments.isEmpty();
    }

    /**
     * Whether a key is of an upload that took all its parts, of 5 MiB or of the 8 MiB of the builds before (2026-12-06):
     * only such a key can have segments.
     */
    private boolean isFullUpload(long keyBytes) {
        return keyBytes == (long) segmentParts * S3MultipartOutputStream.PART_BYTES
                || keyBytes == (long) segmentParts * EARLIER_PART_BYTES;
    }

    /**
     * The segments of a file, in order ({@code <key>.segment-1}, {@code -2}…); a gap in their numbers is a damaged
     * file (its key would not exist without every one of them), reported as the missing segment.
     */
    private List<S3Object> segments(String relative) throws IOException {
        String prefix = key(relative) + S3MultipartOutputStream.SEGMENT_SUFFIX;
        List<S3Object> found = segmentObjects(relative);
        for (int i = 0; i < found.size(); i++) {
            if (!found.get(i).key().equals(prefix + (i + 1))) { // part of the file is missing: damage, as a loss
                throw new NoSuchFileException(relative + S3MultipartOutputStream.SEGMENT_SUFFIX + (i + 1), null,
                        "segment " + (i + 1) + " of " + relative + " is missing from image store " + url.url());
            }
        }
        return found;
    }

    /** The segment objects there are of a file, in the order of their numbers, gaps or not. */
    private List<S3Object> segmentObjects(String relative) throws IOException {
        String prefix = key(relative) + S3MultipartOutputStream.SEGMENT_SUFFIX;
        return call("list the segments of " + relative + " in", () -> s3.listObjectsV2Paginator(b -> b
                .bucket(url.bucket()).prefix(prefix)).contents().stream()
                .filter(object -> object.key().substring(prefix.length()).matches(SEGMENT_NUMBER))
                .sorted(Comparator.comparingInt(object -> Integer.parseInt(object.key().substring(prefix.length()))))
                .toList());
    }

    /** The file a segment's name belongs to ({@code a.rbddiff} for {@code a.rbddiff.segment-2}), else the name. */
    static String segmentOf(String name) {
        int at = name.lastIndexOf(S3MultipartOutputStream.SEGMENT_SUFFIX);
        return at > 0 && name.substring(at + S3MultipartOutputStream.SEGMENT_SUFFIX.length()).matches(SEGMENT_NUMBER)
                ? name.substring(0, at) : name;
    }

    /** The object's size, empty when there is none. */
    private Optional<Long> head(String relative) throws IOException {
        return headObject(relative).map(HeadObjectResponse::contentLength);
    }

    private Optional<HeadObjectResponse> headObject(String relative) throws IOException {
        String key = key(relative);
        try {
            return Optional.of(s3.headObject(b -> b.bucket(url.bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(e))) {
                return Optional.empty(); // HEAD answers have no body: a missing key is a bare 404
            }
            throw failure("read " + relative + " from", e);
        } catch (SdkException e) {
            throw failure("read " + relative + " from", e);
        }
    }

    /** The object key of a store path: the path itself, checked as every store checks it. */
    private String key(String relative) throws IOException {
        return StoreRelativePath.parse(relative, url.url()).relative();
    }

    private <T> T call(String what, SdkCall<T> call) throws IOException {
        try {
            return call.run();
        } catch (SdkException e) {
            throw failure(what, e);
        }
    }

    private IOException failure(String what, SdkException e) {
        return new IOException("cannot " + what + " S3 image store " + url.url() + ": " + e.getMessage(), e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    @FunctionalInterface
    private interface SdkCall<T> {
        T run();
    }
}
