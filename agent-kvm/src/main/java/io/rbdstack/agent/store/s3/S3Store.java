package io.rbdstack.agent.store.s3;

import io.rbdstack.agent.store.ImageStore;
import io.rbdstack.agent.store.PartialName;
import io.rbdstack.agent.store.StoreRelativePath;
import io.rbdstack.agent.store.WriteAttempt;
import io.rbdstack.spi.storage.ImageStorePathException;
import io.rbdstack.spi.storage.S3StoreUrl;
import io.rbdstack.spi.storage.StoreCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An image store in an S3 bucket ({@code s3://<endpoint>/<bucket>?usehttps=..&region=..}), written
 * and read through the AWS SDK with path-style addressing. A file is an object whose key is its path
 * relative to the store; it is written as a multipart upload ({@link S3MultipartOutputStream}), which
 * makes it visible only once complete, so a failed backup never leaves a complete-looking object. Each
 * attempt has an upload of its own, tagged with its id ({@link #ATTEMPT_METADATA}); uploads earlier
 * attempts left open are aborted by the next attempt, never a later one's, and a completion never replaces
 * an object another attempt completed first ({@link ImageStore#writeAtomically}).
 * Restores stream the object back. The keys come with each command; errors name the store, never a key.
 * S3 has no capacity: the store reports none.
 */
public final class S3Store implements ImageStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3Store.class);
    /** User metadata naming the attempt ({@link WriteAttempt#id}) whose upload became the object. */
    public static final String ATTEMPT_METADATA = "rbdstack-attempt";

    private final S3StoreUrl url;
    private final S3Client s3;
    private final Duration timeout;

    private S3Store(S3StoreUrl url, S3Client s3, Duration timeout) {
        this.url = url;
        this.s3 = s3;
        this.timeout = timeout;
    }

    public static S3Store of(String url, StoreCredentials credentials) throws IOException {
        return of(url, credentials, S3Clients.DEFAULT_TIMEOUT);
    }

    /** The store whose every read or write on a connection waits at most {@code timeout}. */
    public static S3Store of(String url, StoreCredentials credentials, Duration timeout) throws IOException {
        S3StoreUrl store;
        try {
            store = S3StoreUrl.parse(url);
        } catch (ImageStorePathException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (credentials == null) {
            throw new IOException("S3 image store " + store.url() + " came without its access and secret keys");
        }
        return new S3Store(store, S3Clients.of(store, credentials, timeout), timeout);
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

    @Override
    public <T> Written<T> writeAtomically(String relative, WriteAttempt attempt, Writer<T> writer) throws Exception {
        String key = key(relative);
        abortEarlierUploads(key, attempt);
        S3MultipartOutputStream out = call("start an upload to", () -> new S3MultipartOutputStream(s3, url.bucket(),
                key, Map.of(ATTEMPT_METADATA, attempt.id()), timeout));
        try {
            T result = writer.write(out);
            out.sendRemainingParts();
            // The endpoint may not honour If-None-Match on the completion (Ceph RGW 16 does not): look first.
            Optional<HeadObjectResponse> there = headObject(relative);
            if (there.isEmpty() && out.complete(true)) {
                return new Written<>(result, out.size());
            }
            if (there.isEmpty()) {
                there = headObject(relative); // the completion was refused: another attempt's object came meanwhile
            }
            if (there.isPresent() && S3MultipartOutputStream.unquoted(there.get().eTag()).equals(out.objectETag())) {
                try {
                    out.abort();
                } catch (SdkException leftOpen) {
                    // The backup is there, whole; only this attempt's parts stay until the next attempt aborts them.
                    LOG.warn("S3 image store {}: {} was already written with the same content; this attempt's upload"
                            + " could not be aborted: {}", url.url(), relative, leftOpen.getMessage());
                }
                return new Written<>(result, out.size()); // the same backup, uploaded by another attempt first
            }
            // S3 keeps the second: an object of this second counts as not older.
            if (there.isPresent() && there.get().lastModified() != null
                    && attempt.beganAfter(there.get().lastModified().plusSeconds(1))) {
                out.complete(false);
                LOG.warn("S3 image store {}: replaced {}, completed at {} by attempt {} before attempt {} began, with other"
                        + " content", url.url(), relative, there.get().lastModified(),
                        there.get().metadata().get(ATTEMPT_METADATA), attempt.id());
                return new Written<>(result, out.size());
            }
            out.abort();
            throw new FileAlreadyExistsException(relative, null, "in S3 image store " + url.url() + " another"
                    + " attempt wrote it first with other content; left as it is, this attempt's upload aborted");
        } catch (Exception e) {
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
            if (e instanceof IOException io && !(e instanceof FileAlreadyExistsException)) {
                throw new IOException("S3 image store " + url.url() + ": " + io.getMessage(), io);
            }
            throw e;
        }
    }

    @Override
    public InputStream openForReading(String relative) throws IOException {
        String key = key(relative);
        try {
            return new AbortingInputStream(s3.getObject(b -> b.bucket(url.bucket()).key(key)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(relative, null, "not in image store " + url.url());
        } catch (SdkException e) {
            throw failure("read " + relative + " from", e);
        }
    }

    @Override
    public long size(String relative) throws IOException {
        return head(relative).orElseThrow(() -> new NoSuchFileException(relative, null, "not in image store "
                + url.url()));
    }

    @Override
    public boolean delete(String relative) throws IOException {
        String key = key(relative);
        if (head(relative).isEmpty()) {
            return false;
        }
        call("delete " + relative + " from", () -> s3.deleteObject(b -> b.bucket(url.bucket()).key(key)));
        return true;
    }

    /**
     * Aborts the uploads an earlier attempt left open ({@link PartialName#removableBy}, the upload's start
     * as the endpoint recorded it standing for the attempt's): of {@code key} begun before {@code attempt},
     * their agent killed, cut off or unable to abort when the endpoint was down; and of any key in the same
     * directory abandoned long ago. Their parts are invisible but take space until aborted. An upload begun
     * after this attempt is never aborted: it may be the live retry of this very backup.
     */
    private void abortEarlierUploads(String key, WriteAttempt attempt) throws IOException {
        int slash = key.lastIndexOf('/');
        String directory = key.substring(0, slash + 1);
        String name = key.substring(slash + 1);
        call("list the open uploads of " + key + " in", () -> {
            try {
                s3.listMultipartUploadsPaginator(b -> b.bucket(url.bucket()).prefix(directory)).uploads().stream()
                        .filter(upload -> upload.key().lastIndexOf('/') == slash && upload.initiated() != null
                                && new PartialName(upload.key().substring(slash + 1), upload.initiated())
                                .removableBy(attempt, name, PartialName.ABANDONED_AFTER))
                        .forEach(upload -> {
                            s3.abortMultipartUpload(b -> b.bucket(url.bucket()).key(upload.key())
                                    .uploadId(upload.uploadId()));
                            LOG.info("S3 image store {}: aborted the upload of {} begun at {} by an earlier attempt",
                                    url.url(), upload.key(), upload.initiated());
                        });
            } catch (S3Exception e) {
                if (e.statusCode() != 403) {
                    throw e;
                }
                // A key allowed to write but not to list uploads still backs up; its leftovers stay until the
                // bucket's lifecycle rule (AbortIncompleteMultipartUpload) or an admin removes them.
                LOG.warn("S3 image store {}: not allowed to list open uploads of {}; any an earlier attempt left stay",
                        url.url(), key);
            }
            return null;
        });
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
