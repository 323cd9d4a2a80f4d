package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store directory without Ceph: where files go, and that no link in a store is followed. */
class ImageStoreDirectoryTest {

    private static final String SNAPSHOT = "0b6c3a1e-7f8d-4c2a-9e5b-1d2f3a4b5c6d";
    private static final String OTHER_SNAPSHOT = "5e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b";

    @TempDir
    Path base;

    private Path store() throws IOException {
        return Files.createDirectories(base.resolve("store"));
    }

    private Path outside() throws IOException {
        return Files.createDirectories(base.resolve("outside"));
    }

    private static ImageStoreDirectory open(Path directory) throws IOException {
        return ImageStoreDirectory.of(directory.toUri().toString());
    }

    @Test
    void filesAreWrittenAtomicallyReadAndDeletedInsideTheStore() throws Exception {
        ImageStoreDirectory store = open(store());
        store.checkWritable();
        ImageStore.Written<String> written = store.writeAtomically("snapshots/2/7/s1.rbddiff", out -> {
            out.write("backup".getBytes(StandardCharsets.UTF_8));
            return "done";
        });
        assertEquals("done", written.value());
        assertEquals(6, written.sizeBytes());
        assertEquals("backup", Files.readString(store().resolve("snapshots/2/7/s1.rbddiff")));
        try (InputStream in = store.openForReading("snapshots/2/7/s1.rbddiff")) {
            assertArrayEquals("backup".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
        // No write replaces a file (each backup attempt writes a name of its own), nor touches another's partial.
        Object before = Files.readAttributes(store().resolve("snapshots/2/7/s1.rbddiff"),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        FileAlreadyExistsException taken = assertThrows(FileAlreadyExistsException.class,
                () -> store.writeAtomically("snapshots/2/7/s1.rbddiff", out -> {
                    out.write('2');
                    return null;
                }));
        assertTrue(taken.getMessage().contains("never replaces"), taken.getMessage());
        assertEquals(before, Files.readAttributes(store().resolve("snapshots/2/7/s1.rbddiff"),
                java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "the file there was not replaced");
        assertEquals("backup", Files.readString(store().resolve("snapshots/2/7/s1.rbddiff")));
        Files.writeString(store().resolve("snapshots/2/7/s2.rbddiff.part"), "another writer's");
        assertThrows(FileAlreadyExistsException.class, () -> store.writeAtomically("snapshots/2/7/s2.rbddiff",
                out -> null));
        assertEquals("another writer's", Files.readString(store().resolve("snapshots/2/7/s2.rbddiff.part")));
        Files.delete(store().resolve("snapshots/2/7/s2.rbddiff.part"));
        assertTrue(store.delete("snapshots/2/7/s1.rbddiff"));
        assertFalse(store.delete("snapshots/2/7/s1.rbddiff"), "already gone");
        assertFalse(store.delete("snapshots/9/9/none.rbddiff"), "its directory was never there");
        assertEquals(List.of(), regularFiles(store()), "no probe, .part or backup left");
    }

    @Test
    void aLargeFileIsWrittenWholeToTheLastByte() throws Exception {
        byte[] data = new byte[3 * DirectFileOutput.STAGING + 5];
        new java.util.Random(1).nextBytes(data);
        ImageStoreDirectory store = open(store());
        ImageStore.Written<Void> written = store.writeAtomically("snapshots/3/s1.rbddiff", out -> {
            out.write(data, 0, 100); // a record's size, gathered
            out.write(data, 100, data.length - 100);
            return null;
        });
        assertEquals(data.length, written.sizeBytes());
        assertArrayEquals(data, Files.readAllBytes(store().resolve("snapshots/3/s1.rbddiff")));
    }

    @Test
    void aFailedWriteLeavesNothing() throws Exception {
        ImageStoreDirectory store = open(store());
        IOException failure = assertThrows(IOException.class, () -> store.writeAtomically("a/b.rbddiff", out -> {
            out.write(1);
            throw new IOException("the snapshot went away");
        }));
        assertEquals("the snapshot went away", failure.getMessage());
        assertEquals(List.of(), regularFiles(store()));
    }

    @Test
    void pathsThatLeaveTheStoreAreRefused() throws Exception {
        ImageStoreDirectory store = open(store());
        for (String escape : List.of("../outside.diff", "/etc/passwd", "a/../../x", "./x", "a//b", "", "a/")) {
            IOException refused = assertThrows(IOException.class, () -> store.writeAtomically(escape, out -> null),
                    escape);
            assertTrue(refused.getMessage().contains("is not inside image store"), refused.getMessage());
        }
        assertFalse(Files.exists(base.resolve("outside.diff")));
    }

    @Test
    void aStoreThatIsOrResolvesToASystemDirectoryIsRefused() throws Exception {
        IOException etc = assertThrows(IOException.class, () -> ImageStoreDirectory.of("file:///etc"));
        assertTrue(etc.getMessage().contains("system directory"), etc.getMessage());
        Path link = Files.createSymbolicLink(base.resolve("looks-fine"), Path.of("/etc"));
        IOException resolved = assertThrows(IOException.class, () -> open(link));
        assertTrue(resolved.getMessage().contains("resolves to /etc"), resolved.getMessage());
        IOException host = assertThrows(IOException.class, () -> ImageStoreDirectory.of("file://remote-host/srv"));
        assertTrue(host.getMessage().contains("names host remote-host"), host.getMessage());
        IOException dots = assertThrows(IOException.class, () -> ImageStoreDirectory.of("file:///%2e%2e/etc"));
        assertTrue(dots.getMessage().contains("'..' segment"), dots.getMessage());
    }

    @Test
    void aStoreRootThatIsALinkToAnOrdinaryDirectoryIsUsedThroughItsRealPath() throws Exception {
        Path real = store();
        Path link = Files.createSymbolicLink(base.resolve("mounted-here"), real);
        open(link).writeAtomically("x/y.rbddiff", out -> null);
        assertTrue(Files.isRegularFile(real.resolve("x/y.rbddiff")));
    }

    @Test
    void aLinkedDirectoryInsideTheStoreIsNeverFollowed() throws Exception {
        Path outside = outside();
        Files.writeString(outside.resolve("s1.rbddiff"), "secret");
        Files.createDirectories(store().resolve("snapshots"));
        Files.createSymbolicLink(store().resolve("snapshots/2"), outside);
        ImageStoreDirectory store = open(store());

        IOException write = assertThrows(IOException.class, () -> store.writeAtomically("snapshots/2/s2.rbddiff",
                out -> null));
        assertTrue(write.getMessage().contains("is a symbolic link (to " + outside + ")"), write.getMessage());
        IOException read = assertThrows(IOException.class, () -> store.openForReading("snapshots/2/s1.rbddiff"));
        assertTrue(read.getMessage().contains("is a symbolic link"), read.getMessage());
        IOException delete = assertThrows(IOException.class, () -> store.delete("snapshots/2/s1.rbddiff"));
        assertTrue(delete.getMessage().contains("is a symbolic link"), delete.getMessage());

        assertEquals(List.of(outside.resolve("s1.rbddiff")), regularFiles(outside), "nothing written or deleted there");
        assertEquals("secret", Files.readString(outside.resolve("s1.rbddiff")));
    }

    @Test
    void aLinkAtAFilesNameIsNeitherReadNorReplacedNorDeleted() throws Exception {
        Path target = Files.writeString(outside().resolve("passwd"), "secret");
        Files.createDirectories(store().resolve("a"));
        Files.createSymbolicLink(store().resolve("a/b.rbddiff"), target);
        Files.createSymbolicLink(store().resolve("a/" + SNAPSHOT + ".rbddiff.part"), target);
        ImageStoreDirectory store = open(store());

        assertTrue(assertThrows(IOException.class, () -> store.openForReading("a/b.rbddiff")).getMessage()
                .contains("is a symbolic link"));
        assertTrue(assertThrows(IOException.class, () -> store.writeAtomically("a/b.rbddiff", out -> null))
                .getMessage().contains("is a symbolic link"));
        assertTrue(assertThrows(IOException.class, () -> store.delete("a/b.rbddiff")).getMessage()
                .contains("is a symbolic link"));
        // A link standing where the partial file goes fails the write (O_CREAT|O_EXCL), never written through.
        assertThrows(FileAlreadyExistsException.class, () -> store.writeAtomically("a/" + SNAPSHOT + ".rbddiff", out -> {
            out.write('x');
            return null;
        }));
        assertEquals("secret", Files.readString(target));
        assertTrue(Files.isSymbolicLink(store().resolve("a/b.rbddiff")), "the planted link is left for the admin");
        assertTrue(Files.isSymbolicLink(store().resolve("a/" + SNAPSHOT + ".rbddiff.part")), "the planted link is left for the admin");
        assertFalse(Files.exists(store().resolve("a/" + SNAPSHOT + ".rbddiff"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        // Leftovers are deleted as files, never through a link: a link among them is left (WARN), not followed.
        assertEquals(0, store.deleteLeftovers("a", SNAPSHOT + ".", java.util.Set.of()));
        assertTrue(Files.isSymbolicLink(store().resolve("a/" + SNAPSHOT + ".rbddiff.part")), "the planted link is left for the admin");
        assertEquals("secret", Files.readString(target));
    }

    @Test
    void leftoversOfASnapshotsAttemptsGoButTheKeptFilesAndOtherSnapshotsStay() throws Exception {
        ImageStoreDirectory store = open(store());
        Path dir = Files.createDirectories(store().resolve("snapshots/2/7"));
        for (String name : List.of(SNAPSHOT + ".a.rbddiff", SNAPSHOT + ".b.rbddiff", SNAPSHOT + ".c.rbddiff.part", SNAPSHOT + ".rbddiff", OTHER_SNAPSHOT + ".a.rbddiff")) {
            Files.writeString(dir.resolve(name), name);
        }
        assertEquals(3, store.deleteLeftovers("snapshots/2/7", SNAPSHOT + ".", java.util.Set.of(SNAPSHOT + ".b.rbddiff")));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(SNAPSHOT + ".b.rbddiff", OTHER_SNAPSHOT + ".a.rbddiff"), left.map(p -> p.getFileName().toString()).sorted()
                    .toList());
        }
        assertEquals(0, store.deleteLeftovers("snapshots/9/9", SNAPSHOT + ".", java.util.Set.of()), "no directory, none");
    }

    // A link or a directory at a leftover's name failed the whole call, so the snapshot's cleanup failed every run
    // and its real leftovers stayed: such entries are left (WARN) and the files beside them still go.
    @Test
    void aLinkOrDirectoryAmongTheLeftoversIsLeftAndTheFilesStillGo() throws Exception {
        ImageStoreDirectory store = open(store());
        Path dir = Files.createDirectories(store().resolve("snapshots/2/7"));
        Path outside = Files.writeString(store().resolve("outside"), "secret");
        Files.createSymbolicLink(dir.resolve(SNAPSHOT + ".link.rbddiff"), outside);
        Files.createDirectories(dir.resolve(SNAPSHOT + ".dir.rbddiff").resolve("inner"));
        Files.writeString(dir.resolve(SNAPSHOT + ".a.rbddiff"), "a");
        Files.writeString(dir.resolve(SNAPSHOT + ".b.rbddiff.part"), "b");

        assertEquals(2, store.deleteLeftovers("snapshots/2/7", SNAPSHOT + ".", java.util.Set.of()));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(SNAPSHOT + ".dir.rbddiff", SNAPSHOT + ".link.rbddiff"), left.map(p -> p.getFileName().toString())
                    .sorted().toList());
        }
        assertTrue(Files.isDirectory(dir.resolve(SNAPSHOT + ".dir.rbddiff").resolve("inner")), "the directory is untouched");
        assertEquals("secret", Files.readString(outside), "the link's target is untouched");
    }

    // The server sends one snapshot's "<uuid>.": without the dot a prefix could take another
    // snapshot's files, and a '/' reaches into another directory; anything but a uuid and its dot is refused.
    @Test
    void aPrefixThatIsNotOneSnapshotsIsRefused() throws Exception {
        ImageStoreDirectory store = open(store());
        Path dir = Files.createDirectories(store().resolve("snapshots/2/7"));
        Files.writeString(dir.resolve(OTHER_SNAPSHOT + ".a.rbddiff"), "other snapshot");
        for (String prefix : List.of(SNAPSHOT, "", ".", "x/" + SNAPSHOT + ".", "s1.", "1-1-1-1-1.", SNAPSHOT + ".x.")) {
            IOException refused = assertThrows(IOException.class,
                    () -> store.deleteLeftovers("snapshots/2/7", prefix, java.util.Set.of()), prefix);
            assertTrue(refused.getMessage().contains("leftovers prefix"), refused.getMessage());
        }
        assertTrue(Files.exists(dir.resolve(OTHER_SNAPSHOT + ".a.rbddiff")));
    }

    private static List<Path> regularFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
