package io.rbdstack.agent.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory store on a file system that refuses {@code O_DIRECT}: ramfs (tmpfs takes it on kernels since 6.6). Its
 * files go through the page cache instead, whole; the store remembers, and the next files go that way at once. Needs
 * root to mount ramfs (CI runs as root); skipped otherwise.
 */
class ImageStoreDirectoryWithoutDirectIoIT {

    @TempDir
    Path base;
    private Path mount;

    @BeforeEach
    void mountRamfs() throws Exception {
        Path directory = Files.createDirectories(base.resolve("ramfs"));
        String refused = run("mount", "-t", "ramfs", "-o", "mode=700", "ramfs", directory.toString());
        assumeTrue(refused == null, () -> "cannot mount ramfs here (needs root): " + refused);
        mount = directory;
    }

    /** Not lazily: a descriptor the store left open would keep the file system busy, and fail the test. */
    @AfterEach
    void unmount() throws Exception {
        if (mount != null) {
            String busy = run("umount", mount.toString());
            if (busy != null) {
                run("umount", "-l", mount.toString());
                throw new AssertionError("ramfs still in use after the test (a descriptor left open?): " + busy);
            }
        }
    }

    @Test
    void aStoreWhoseFileSystemRefusesDirectWritesGetsEveryFileWholeThroughThePageCache() throws Exception {
        Path root = Files.createDirectories(mount.resolve("store"));
        ImageStoreDirectory store = ImageStoreDirectory.of(root.toUri().toString());
        assertTrue(store.writesDirect(), "not known before its first file");

        byte[] first = bytes(3 * DirectFileOutput.STAGING + 5, 1);
        byte[] second = bytes(DirectFileOutput.STAGING - 1, 2);
        assertEquals(first.length, store.writeAtomically("snapshots/1/a.rbddiff", out -> {
            out.write(first, 0, 100);
            out.write(first, 100, first.length - 100);
            return null;
        }).sizeBytes());
        assertFalse(store.writesDirect(), "ramfs refused O_DIRECT, and the store remembers");
        assertEquals(second.length, store.writeAtomically("snapshots/1/b.rbddiff", out -> {
            out.write(second);
            return null;
        }).sizeBytes());

        assertArrayEquals(first, Files.readAllBytes(root.resolve("snapshots/1/a.rbddiff")));
        assertArrayEquals(second, Files.readAllBytes(root.resolve("snapshots/1/b.rbddiff")));
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(List.of("snapshots/1/a.rbddiff", "snapshots/1/b.rbddiff"),
                    files.filter(Files::isRegularFile).map(path -> root.relativize(path).toString()).sorted()
                            .toList(), "no partial file left behind");
        }
    }

    private static byte[] bytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Runs {@code command}: null when it succeeded, else what it said. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end within 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return process.exitValue() == 0 ? null
                : String.join(" ", command) + " failed (" + process.exitValue() + "): " + output;
    }
}
