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
        Files.createSymbolicLink(store().resolve("a/c.rbddiff.part"), target);
        ImageStoreDirectory store = open(store());

        assertTrue(assertThrows(IOException.class, () -> store.openForReading("a/b.rbddiff")).getMessage()
                .contains("is a symbolic link"));
        assertTrue(assertThrows(IOException.class, () -> store.writeAtomically("a/b.rbddiff", out -> null))
                .getMessage().contains("is a symbolic link"));
        assertTrue(assertThrows(IOException.class, () -> store.delete("a/b.rbddiff")).getMessage()
                .contains("is a symbolic link"));
        // A link standing where the partial file goes fails the write (O_CREAT|O_EXCL), never written through.
        assertThrows(FileAlreadyExistsException.class, () -> store.writeAtomically("a/c.rbddiff", out -> {
            out.write('x');
            return null;
        }));
        assertEquals("secret", Files.readString(target));
        assertTrue(Files.isSymbolicLink(store().resolve("a/b.rbddiff")), "the planted link is left for the admin");
        assertTrue(Files.isSymbolicLink(store().resolve("a/c.rbddiff.part")), "the planted link is left for the admin");
        assertFalse(Files.exists(store().resolve("a/c.rbddiff"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        // Leftovers are deleted as files, never through a link: a link among them is left (WARN), not followed.
        assertEquals(0, store.deleteLeftovers("a", "c.", java.util.Set.of()));
        assertTrue(Files.isSymbolicLink(store().resolve("a/c.rbddiff.part")), "the planted link is left for the admin");
        assertEquals("secret", Files.readString(target));
    }

    @Test
    void leftoversOfASnapshotsAttemptsGoButTheKeptFilesAndOtherSnapshotsStay() throws Exception {
        ImageStoreDirectory store = open(store());
        Path dir = Files.createDirectories(store().resolve("snapshots/2/7"));
        for (String name : List.of("s1.a.rbddiff", "s1.b.rbddiff", "s1.c.rbddiff.part", "s1.rbddiff", "s10.a.rbddiff")) {
            Files.writeString(dir.resolve(name), name);
        }
        assertEquals(3, store.deleteLeftovers("snapshots/2/7", "s1.", java.util.Set.of("s1.b.rbddiff")));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("s1.b.rbddiff", "s10.a.rbddiff"), left.map(p -> p.getFileName().toString()).sorted()
                    .toList());
        }
        assertEquals(0, store.deleteLeftovers("snapshots/9/9", "s1.", java.util.Set.of()), "no directory, none");
    }

    // A link or a directory at a leftover's name failed the whole call, so the snapshot's cleanup failed every run
    // and its real leftovers stayed: such entries are left (WARN) and the files beside them still go.
    @Test
    void aLinkOrDirectoryAmongTheLeftoversIsLeftAndTheFilesStillGo() throws Exception {
        ImageStoreDirectory store = open(store());
        Path dir = Files.createDirectories(store().resolve("snapshots/2/7"));
        Path outside = Files.writeString(store().resolve("outside"), "secret");
        Files.createSymbolicLink(dir.resolve("s1.link.rbddiff"), outside);
        Files.createDirectories(dir.resolve("s1.dir.rbddiff").resolve("inner"));
        Files.writeString(dir.resolve("s1.a.rbddiff"), "a");
        Files.writeString(dir.resolve("s1.b.rbddiff.part"), "b");

        assertEquals(2, store.deleteLeftovers("snapshots/2/7", "s1.", java.util.Set.of()));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("s1.dir.rbddiff", "s1.link.rbddiff"), left.map(p -> p.getFileName().toString())
                    .sorted().toList());
        }
        assertTrue(Files.isDirectory(dir.resolve("s1.dir.rbddiff").resolve("inner")), "the directory is untouched");
        assertEquals("secret", Files.readString(outside), "the link's target is untouched");
    }

    // The server sends one snapshot's "<uuid>.": without the dot "s1" would take snapshot s10's files, and a '/'
    // reaches into another directory.
    @Test
    void aPrefixThatIsNotOneSnapshotsIsRefused() throws Exception {
        ImageStoreDirectory store = open(store());
        Path dir = Files.createDirectories(store().resolve("snapshots/2/7"));
        Files.writeString(dir.resolve("s10.a.rbddiff"), "other snapshot");
        for (String prefix : List.of("s1", "", ".", "x/s1.")) {
            IOException refused = assertThrows(IOException.class,
                    () -> store.deleteLeftovers("snapshots/2/7", prefix, java.util.Set.of()), prefix);
            assertTrue(refused.getMessage().contains("leftovers prefix"), refused.getMessage());
        }
        assertTrue(Files.exists(dir.resolve("s10.a.rbddiff")));
    }

    private static List<Path> regularFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
