package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.S3Fixture;
import io.rbdstack.agent.store.s3.S3Store;
import io.rbdstack.testing.RealServices;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two attempts at the same backup file, as after a network partition: the writer cut off from the
 * server (not dead, still writing; it began first) and the retry the server sent elsewhere. On each real
 * store (a directory, NFS through ganesha, S3 on Ceph RGW) the file left is the retry's, with the
 * SHA-256 the retry answered (what the server records), whatever the stale writer does, and no partial
 * file or open upload is left.
 */
class ConcurrentBackupAttemptsIT {

    /** Over two S3 parts, so the stale upload still sends parts after the retry aborted it. */
    private static final int SIZE = (16 << 20) + 12345;

    enum Kind { DIRECTORY, NFS, S3 }

    @TempDir
    Path tempDir;
    private final String prefix = "attempts-" + UUID.randomUUID().toString().substring(0, 8);
    private Target target;

    @AfterEach
    void cleanUp() throws Exception {
        if (target != null) {
            target.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theStaleWriterFinishingLastLeavesTheRetrysFileAndNoPartial(Kind kind) throws Exception {
        target = open(kind);
        byte[] staleBytes = RbdData.bytes(SIZE, 1);
        byte[] retryBytes = RbdData.bytes(SIZE, 2);
        WriteAttempt stale = WriteAttempt.at(Instant.now().minusSeconds(30));
        WriteAttempt retry = WriteAttempt.now();
        CountDownLatch staleWriting = new CountDownLatch(1);
        CountDownLatch retryDone = new CountDownLatch(1);

        CompletableFuture<ImageStore.Written<String>> staleWrite = CompletableFuture.supplyAsync(() -> {
            try {
                return target.store.writeAtomically(target.path, stale, out -> {
                    out.write(staleBytes, 0, 1 << 20);
                    out.flush();
                    staleWriting.countDown();
                    assertTrue(retryDone.await(60, TimeUnit.SECONDS));
                    out.write(staleBytes, 1 << 20, staleBytes.length - (1 << 20));
                    return sha256(staleBytes);
                });
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        assertTrue(staleWriting.await(60, TimeUnit.SECONDS), "the stale writer is writing its partial");
        assertEquals(1, target.partials(), "the stale writer's partial file (upload) is there");

        ImageStore.Written<String> accepted = target.store.writeAtomically(target.path, retry, out -> {
            out.write(retryBytes);
            return sha256(retryBytes);
        });
        retryDone.countDown();
        CompletionException staleFailed = assertThrows(CompletionException.class, staleWrite::join,
                "the stale writer cannot commit: the retry removed its partial (aborted its upload)");
        System.out.println(kind + ": the stale writer failed with: " + staleFailed.getCause());

        assertArrayEquals(retryBytes, target.read(), "the file is the retry's");
        assertEquals(accepted.value(), sha256(target.read()), "its SHA-256 is the one the retry answered");
        assertEquals(0, target.partials(), "no partial file or open upload left");
        target.assertCommittedBy(retry);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aStaleWriterCommittingAfterTheRetryNeverReplacesItsFileButALaterAttemptDoes(Kind kind) throws Exception {
        target = open(kind);
        byte[] retryBytes = RbdData.bytes(SIZE, 3);
        WriteAttempt stale = WriteAttempt.at(Instant.now().minusSeconds(30));
        ImageStore.Written<String> accepted = target.store.writeAtomically(target.path, WriteAttempt.now(), out -> {
            out.write(retryBytes);
            return sha256(retryBytes);
        });
        Object committed = target.identity();

        // The stale writer began first but reached its commit after the retry's: other bytes are refused...
        FileAlreadyExistsException refused = assertThrows(FileAlreadyExistsException.class,
                () -> target.store.writeAtomically(target.path, stale, out -> {
                    out.write(RbdData.bytes(SIZE, 4));
                    return null;
                }));
        assertTrue(refused.getMessage().contains("another attempt wrote it first with other content"),
                refused.getMessage());
        // ...and the same bytes (the same backup, the usual case) succeed without touching the file.
        ImageStore.Written<String> same = target.store.writeAtomically(target.path, stale, out -> {
            out.write(retryBytes);
            return sha256(retryBytes);
        });
        assertEquals(accepted.value(), same.value());

        assertEquals(committed, target.identity(), "the retry's file was never replaced");
        assertEquals(accepted.value(), sha256(target.read()));
        assertEquals(0, target.partials(), "no partial file or open upload left");

        // A file finished before an attempt began is an earlier attempt's, unrecorded: a later retry of a job
        // that chose other bytes (another base) replaces it rather than failing for ever.
        Thread.sleep(2_100); // NFS and S3 times are whole seconds
        byte[] laterBytes = RbdData.bytes(SIZE, 5);
        WriteAttempt later = WriteAttempt.now();
        ImageStore.Written<String> replaced = target.store.writeAtomically(target.path, later, out -> {
            out.write(laterBytes);
            return sha256(laterBytes);
        });
        assertArrayEquals(laterBytes, target.read());
        assertEquals(replaced.value(), sha256(target.read()));
        assertEquals(0, target.partials(), "no partial file or open upload left");
        target.assertCommittedBy(later);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aWriteRemovesEarlierAttemptsLeftoversAndKeepsALaterOnes(Kind kind) throws Exception {
        target = open(kind);
        WriteAttempt now = WriteAttempt.now();
        Object later = target.leaveLaterPartial(now);
        target.store.writeAtomically(target.path, now, out -> {
            out.write(1);
            return null;
        });
        assertEquals(1, target.partials(), "a partial begun after the attempt is kept: it may be the live retry's");
        target.assertKept(later);

        Thread.sleep(1_100); // S3 records an upload's start to the second
        target.store.writeAtomically(target.path, WriteAttempt.now(), out -> {
            out.write(1);
            return null;
        });
        assertEquals(0, target.partials(), "the next attempt, begun after it, removed it");
    }

    private Target open(Kind kind) throws Exception {
        String path = prefix + "/snapshots/2/7/s1.rbddiff";
        return switch (kind) {
            case DIRECTORY -> new FileTarget(ImageStores.open(tempDir.toUri().toString()), path, tempDir,
                    tempDir.resolve(prefix));
            case NFS -> {
                RealServices services = RealServices.load();
                Path export = Path.of(services.require("nfs.export.dir"));
                yield new FileTarget(ImageStores.open(services.require("nfs.url")), path, export,
                        export.resolve(prefix));
            }
            case S3 -> {
                S3Fixture bucket = new S3Fixture("attempts");
                yield new S3Target(bucket, ImageStores.open(bucket.url(), bucket.credentials), path);
            }
        };
    }

    private abstract static class Target implements AutoCloseable {
        final ImageStore store;
        final String path;

        Target(ImageStore store, String path) {
            this.store = store;
            this.path = path;
        }

        byte[] read() throws IOException {
            try (InputStream in = store.openForReading(path)) {
                return in.readAllBytes();
            }
        }

        /** Partial files beside the file, or open uploads in the bucket. */
        abstract int partials() throws IOException;

        /** What tells the committed file apart from one written over it. */
        abstract Object identity() throws IOException;

        void assertCommittedBy(WriteAttempt attempt) {
        }

        /** A partial (an upload) of the file that an attempt begun after {@code attempt} is writing. */
        abstract Object leaveLaterPartial(WriteAttempt attempt) throws IOException;

        abstract void assertKept(Object partial) throws IOException;
    }

    private static final class FileTarget extends Target {
        private final Path root;
        private final Path mine;

        FileTarget(ImageStore store, String path, Path root, Path mine) {
            super(store, path);
            this.root = root;
            this.mine = mine;
        }

        @Override
        int partials() throws IOException {
            try (Stream<Path> files = Files.walk(mine)) {
                return (int) files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
            }
        }

        @Override
        Object identity() throws IOException {
            return Files.readAttributes(root.resolve(path), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        }

        @Override
        Object leaveLaterPartial(WriteAttempt attempt) throws IOException {
            Path file = root.resolve(path);
            Files.createDirectories(file.getParent());
            Path later = file.resolveSibling(WriteAttempt.at(attempt.began().plusSeconds(1))
                    .partialOf(file.getFileName().toString()));
            // And an earlier one, which goes.
            Files.write(file.resolveSibling(WriteAttempt.at(attempt.began().minusSeconds(1))
                    .partialOf(file.getFileName().toString())), new byte[] {1});
            return Files.write(later, new byte[] {2});
        }

        @Override
        void assertKept(Object partial) {
            assertTrue(Files.exists((Path) partial), partial.toString());
        }

        @Override
        public void close() throws IOException {
            if (Files.exists(mine)) {
                try (Stream<Path> files = Files.walk(mine)) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static final class S3Target extends Target {
        private final S3Fixture bucket;

        S3Target(S3Fixture bucket, ImageStore store, String path) {
            super(store, path);
            this.bucket = bucket;
        }

        @Override
        int partials() {
            return bucket.openUploads();
        }

        @Override
        Object identity() {
            return bucket.metadata(path).get(S3Store.ATTEMPT_METADATA);
        }

        @Override
        void assertCommittedBy(WriteAttempt attempt) {
            assertEquals(attempt.id(), bucket.metadata(path).get(S3Store.ATTEMPT_METADATA),
                    "the object is the retry's upload");
        }

        @Override
        Object leaveLaterPartial(WriteAttempt attempt) throws IOException {
            try {
                Thread.sleep(1_100); // started a second after the attempt began, as RGW counts
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            return bucket.startUpload(path);
        }

        @Override
        void assertKept(Object uploadId) {
            assertEquals(1, bucket.openUploads());
        }

        @Override
        public void close() throws Exception {
            bucket.close();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
