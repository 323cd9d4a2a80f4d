package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.S3Fixture;
import io.rbdstack.testing.RealServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
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
 * Two attempts at the same snapshot's backup, as after a network partition: the writer cut off from the
 * server (not dead, still writing) and the retry the server sent elsewhere. On each real store (a directory,
 * NFS through ganesha, S3 on Ceph RGW) each attempt commits a file of its own name, so both succeed and
 * whichever answer the server accepts, the file it records holds the SHA-256 it records; the storage
 * cleanup's deletion of the leftovers removes every unrecorded file, partial or open upload of the snapshot
 * and never a recorded one.
 */
class ConcurrentBackupAttemptsIT {

    /** Over two S3 parts, so the stale upload still sends parts after the retry completed. */
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
    void twoAttemptsRacingAtOneBackupBothSucceedIntoFilesOfTheirOwnAndTheCleanupKeepsTheRecordedOne(Kind kind)
            throws Exception {
        target = open(kind);
        byte[] staleBytes = RbdData.bytes(SIZE, 1);
        byte[] retryBytes = RbdData.bytes(SIZE, 2);
        String staleName = WriteAttempt.now().nameOf(target.path);
        String retryName = WriteAttempt.now().nameOf(target.path);
        assertNotEquals(staleName, retryName);
        CountDownLatch staleWriting = new CountDownLatch(1);
        CountDownLatch retryDone = new CountDownLatch(1);

        CompletableFuture<ImageStore.Written<String>> staleWrite = CompletableFuture.supplyAsync(() -> {
            try {
                return write(staleName, staleBytes, () -> {
                    staleWriting.countDown();
                    assertTrue(retryDone.await(60, TimeUnit.SECONDS));
                });
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        assertTrue(staleWriting.await(60, TimeUnit.SECONDS), "the stale writer is writing its partial");
        assertEquals(1, target.partials(), "the stale writer's partial file (upload) is there");
        ImageStore.Written<String> retry = write(retryName, retryBytes, () -> { });
        retryDone.countDown();
        ImageStore.Written<String> stale = staleWrite.join(); // finishes after the retry, into its own file

        // Whichever answer the server accepted, the path it records holds the SHA-256 it records.
        assertArrayEquals(retryBytes, target.read(retryName));
        assertEquals(retry.value(), sha256(target.read(retryName)));
        assertArrayEquals(staleBytes, target.read(staleName));
        assertEquals(stale.value(), sha256(target.read(staleName)));
        assertEquals(0, target.partials(), "no partial file or open upload left");

        // The server accepted the retry's answer: the cleanup deletes the stale writer's file, never the recorded one.
        assertEquals(1, target.store.deleteLeftovers(target.directory, "0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.", Set.of(name(retryName))));
        assertArrayEquals(retryBytes, target.read(retryName), "the recorded file stays as it was");
        assertThrows(NoSuchFileException.class, () -> target.read(staleName));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theLeftoversOfKilledAndUnacceptedAttemptsGoButARecordedFileOfAnyAgeAndOtherSnapshotsStay(Kind kind)
            throws Exception {
        target = open(kind);
        byte[] recorded = RbdData.bytes(4096, 3);
        write(target.path, recorded, () -> { }); // as agents before attempt names wrote: <uuid>.rbddiff, recorded
        write(target.directory + "/5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b." + WriteAttempt.now().id() + ".rbddiff", RbdData.bytes(4096, 4), () -> { });
        write(WriteAttempt.now().nameOf(target.path), RbdData.bytes(4096, 5), () -> { }); // answer never accepted
        target.leaveKilledAttempt(WriteAttempt.now().nameOf(target.path));
        assertEquals(1, target.partials());
        // No write replaces a file, a recorded one least of all.
        assertThrows(FileAlreadyExistsException.class, () -> write(target.path, RbdData.bytes(4096, 6), () -> { }));

        assertEquals(2, target.store.deleteLeftovers(target.directory, "0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.", Set.of(name(target.path))));
        assertArrayEquals(recorded, target.read(target.path), "the recorded file stays");
        assertEquals(0, target.partials(), "the killed attempt's partial (open upload) is gone");
        assertEquals(2, target.files(), "the recorded file and the other snapshot's are all that is left");
        assertEquals(0, target.store.deleteLeftovers(target.directory, "0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.", Set.of(name(target.path))));
    }

    // A link or a directory at a leftover's name failed the whole call, so that snapshot's cleanup failed every run
    // and its real leftovers stayed: they are left (WARN), never followed, and the files beside them still go.
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"DIRECTORY", "NFS"})
    void aLinkOrADirectoryAmongTheLeftoversIsLeftAndTheFilesStillGo(Kind kind) throws Exception {
        target = open(kind);
        FileTarget files = (FileTarget) target;
        String unaccepted = WriteAttempt.now().nameOf(target.path);
        write(unaccepted, RbdData.bytes(4096, 5), () -> { });
        Path dir = files.root.resolve(target.directory);
        Path outside = Files.writeString(files.mine.resolve("outside"), "secret");
        Files.createSymbolicLink(dir.resolve("0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.link.rbddiff"), outside);
        Files.createDirectories(dir.resolve("0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.dir.rbddiff"));

        assertEquals(1, target.store.deleteLeftovers(target.directory, "0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.", Set.of()));
        assertThrows(NoSuchFileException.class, () -> target.read(unaccepted));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.dir.rbddiff", "0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.link.rbddiff"), left.map(p -> p.getFileName().toString())
                    .sorted().toList());
        }
        assertEquals("secret", Files.readString(outside), "the link's target is untouched");
        assertEquals(0, target.store.deleteLeftovers(target.directory, "0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.", Set.of()), "again: nothing to delete");
    }

    // Open uploads had none of the checks objects have: a kept name's upload, or one in a folder below, was aborted.
    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "S3")
    void onlyTheOpenUploadsOfLeftoversDirectlyInTheFolderAndNotKeptAreAborted(Kind kind) throws Exception {
        target = open(kind);
        S3Target bucket = (S3Target) target;
        bucket.leaveKilledAttempt(target.directory + "/0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.killed.rbddiff");
        bucket.leaveKilledAttempt(target.directory + "/0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.kept.rbddiff");
        bucket.leaveKilledAttempt(target.directory + "/0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.deeper/x.rbddiff");

        assertEquals(1, target.store.deleteLeftovers(target.directory, "0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.", Set.of("0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.kept.rbddiff")));
        assertEquals(2, target.partials(), "the kept name's upload and the one below stay open");
    }

    /** Writes {@code bytes} as {@code name}, running {@code midway} after its first MiB; answers the SHA-256. */
    private ImageStore.Written<String> write(String name, byte[] bytes, Midway midway) throws Exception {
        return target.store.writeAtomically(name, out -> {
            int first = Math.min(bytes.length, 1 << 20);
            out.write(bytes, 0, first);
            out.flush();
            midway.run();
            out.write(bytes, first, bytes.length - first);
            return sha256(bytes);
        });
    }

    @FunctionalInterface
    private interface Midway {
        void run() throws Exception;
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private Target open(Kind kind) throws Exception {
        String directory = prefix + "/snapshots/2/7";
        return switch (kind) {
            case DIRECTORY -> new FileTarget(ImageStores.open(tempDir.toUri().toString()), directory, tempDir,
                    tempDir.resolve(prefix));
            case NFS -> {
                RealServices services = RealServices.load();
                Path export = Path.of(services.require("nfs.export.dir"));
                yield new FileTarget(ImageStores.open(services.require("nfs.url")), directory, export,
                        export.resolve(prefix));
            }
            case S3 -> {
                S3Fixture bucket = new S3Fixture("attempts");
                yield new S3Target(bucket, ImageStores.open(bucket.url(), bucket.credentials), directory);
            }
        };
    }

    private abstract static class Target implements AutoCloseable {
        final ImageStore store;
        final String directory;
        /** The name the server gives the snapshot's backup; attempts write theirs from it. */
        final String path;

        Target(ImageStore store, String directory) {
            this.store = store;
            this.directory = directory;
            this.path = directory + "/0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d.rbddiff";
        }

        byte[] read(String name) throws IOException {
            try (InputStream in = store.openForReading(name)) {
                return in.readAllBytes();
            }
        }

        /** Partial files in the directory, or open uploads in the bucket. */
        abstract int partials() throws IOException;

        /** Whole files in the directory (objects in the bucket). */
        abstract int files() throws IOException;

        /** What an attempt killed mid-write leaves: its partial file, or its open upload. */
        abstract void leaveKilledAttempt(String name) throws IOException;
    }

    private static final class FileTarget extends Target {
        private final Path root;
        private final Path mine;

        FileTarget(ImageStore store, String directory, Path root, Path mine) {
            super(store, directory);
            this.root = root;
            this.mine = mine;
        }

        @Override
        int partials() throws IOException {
            return count(".part");
        }

        @Override
        int files() throws IOException {
            return count(".rbddiff");
        }

        private int count(String suffix) throws IOException {
            try (Stream<Path> files = Files.walk(mine)) {
                return (int) files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
            }
        }

        @Override
        void leaveKilledAttempt(String name) throws IOException {
            try (OutputStream out = Files.newOutputStream(root.resolve(name + ".part"))) {
                out.write(1);
            }
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

        S3Target(S3Fixture bucket, ImageStore store, String directory) {
            super(store, directory);
            this.bucket = bucket;
        }

        @Override
        int partials() {
            return bucket.openUploads();
        }

        @Override
        int files() {
            return bucket.keys().size();
        }

        @Override
        void leaveKilledAttempt(String name) {
            bucket.startUpload(name);
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
