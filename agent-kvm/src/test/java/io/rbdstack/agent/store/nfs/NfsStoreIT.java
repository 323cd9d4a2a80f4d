package io.rbdstack.agent.store.nfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.fixtures.FreezingTcpProxy;
import io.rbdstack.agent.store.ImageStore;
import io.rbdstack.agent.store.ImageStores;
import io.rbdstack.agent.store.ReadAheadFile;
import io.rbdstack.testing.RealServices;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The NFS image store on the real nfs-ganesha of scripts/nfs.sh, through libnfs (no kernel mount). */
class NfsStoreIT {

    private final RealServices services = RealServices.load();
    private final String url = services.require("nfs.url");
    private final Path exportDir = Path.of(services.require("nfs.export.dir"));
    /** Everything this test writes is below this directory of the export, deleted afterwards. */
    private final String prefix = "nfsit-" + UUID.randomUUID();

    @AfterEach
    void deleteWhatThisTestWrote() throws IOException {
        Path mine = exportDir.resolve(prefix);
        if (Files.exists(mine)) {
            try (Stream<Path> files = Files.walk(mine)) {
                for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void filesAreWrittenAtomicallyReadRenamedIntoPlaceAndDeleted() throws Exception {
        ImageStore store = ImageStores.open(url);
        assertTrue(store instanceof NfsStore, "an nfs:// URL opens an NFS store");
        store.checkWritable();
        byte[] data = random(3 * NfsFileStreams.CHUNK + 17); // several WRITE RPCs and a short last one
        String path = prefix + "/snapshots/2/7/s1.rbddiff";

        ImageStore.Written<String> written = store.writeAtomically(path, out -> {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            out.write(data, 0, 5);
            out.write(data[5]);
            out.write(data, 6, data.length - 6);
            return HexFormat.of().formatHex(sha.digest(data));
        });

        assertEquals(data.length, written.sizeBytes());
        Path onServer = exportDir.resolve(path);
        assertArrayEquals(data, Files.readAllBytes(onServer), "the server's file holds exactly the bytes written");
        assertFalse(Files.exists(exportDir.resolve(path + ".part")), "the .part file was renamed into place");
        assertEquals(data.length, store.size(path));
        try (InputStream in = store.openForReading(path)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertTrue(store.delete(path));
        assertFalse(Files.exists(onServer));
        assertFalse(store.delete(path), "a second delete finds nothing");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> store.size(path));
    }

    @Test
    void aFailedWriteLeavesNoFileUnderItsNameNorAPartFile() throws Exception {
        ImageStore store = ImageStores.open(url);
        String path = prefix + "/broken.rbddiff";
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> store.writeAtomically(path,
                out -> {
                    out.write(random(NfsFileStreams.CHUNK + 1));
                    throw new IllegalStateException("the export stream broke");
                }));
        assertEquals("the export stream broke", failure.getMessage());
        assertFalse(Files.exists(exportDir.resolve(path)));
        assertFalse(Files.exists(exportDir.resolve(path + ".part")));
    }

    @Test
    void capacityIsTheExportedFileSystems() throws Exception {
        long[] capacity = ImageStores.open(url).capacity();
        FileStore local = Files.getFileStore(exportDir);
        assertEquals(local.getTotalSpace(), capacity[0], "total bytes as statvfs reports them on the server");
        long localUsed = local.getTotalSpace() - local.getUsableSpace();
        assertTrue(Math.abs(capacity[1] - localUsed) < 512L << 20, capacity[1] + " used vs " + localUsed + " locally");
    }

    @Test
    void aSymbolicLinkInTheStoreIsRefusedNotFollowed() throws Exception {
        Files.createDirectories(exportDir.resolve(prefix));
        Files.createSymbolicLink(exportDir.resolve(prefix + "/link"), Path.of("/etc"));
        ImageStore store = ImageStores.open(url);
        IOException e = assertThrows(IOException.class, () -> store.size(prefix + "/link/passwd"));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        IOException write = assertThrows(IOException.class, () -> store.writeAtomically(prefix + "/link/x",
                out -> null));
        assertTrue(write.getMessage().contains("symbolic link"), write.getMessage());
    }

    @Test
    void pathsOutsideTheStoreAreRefused() throws Exception {
        ImageStore store = ImageStores.open(url);
        for (String bad : List.of("../x", "/etc/passwd", "a//b", "a/./b")) {
            IOException e = assertThrows(IOException.class, () -> store.size(bad), bad);
            assertTrue(e.getMessage().contains("is not inside image store"), e.getMessage());
        }
    }

    /**
     * A server that accepts connections and never answers (hung, as a dead NFS server behind a live
     * TCP stack looks): the operation fails within the timeout, and meanwhile other threads keep
     * using the real store.
     */
    @Test
    void aServerThatNeverAnswersFailsWithinTheTimeoutAndBlocksNothingElse() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            int port = silent.getLocalPort();
            Duration timeout = Duration.ofSeconds(2);
            NfsStore dead = NfsStore.of("nfs://127.0.0.1/export?nfsport=" + port + "&mountport=" + port, timeout);

            long t0 = System.nanoTime();
            CompletableFuture<IOException> hung = CompletableFuture.supplyAsync(() -> {
                try {
                    dead.capacity();
                    return null;
                } catch (IOException e) {
                    return e;
                }
            });
            // Meanwhile the real store works on this thread.
            ImageStore live = ImageStores.open(url);
            live.writeAtomically(prefix + "/meanwhile.bin", out -> {
                out.write(random(1000));
                return null;
            });
            assertEquals(1000, live.size(prefix + "/meanwhile.bin"));

            IOException failure = hung.get(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(failure != null, "the mount on a silent server must fail");
            assertTrue(seconds < timeout.toSeconds() * 2.5, "failed after " + seconds + " s: " + failure.getMessage());
            System.out.printf("silent NFS server: failed after %.2f s (timeout %d s): %s%n", seconds,
                    timeout.toSeconds(), failure.getMessage());
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    /**
     * The NFS server stops answering in the middle of a backup (a proxy in front of ganesha freezes):
     * the write fails within the timeout, nothing complete-looking is left under the file's name,
     * and a retry once the server answers again succeeds.
     */
    @Test
    void aServerThatStopsAnsweringMidWriteFailsInBoundedTimeAndARetrySucceeds() throws Exception {
        int nfsPort = Integer.parseInt(services.require("nfs.port"));
        int mountPort = Integer.parseInt(services.require("nfs.mount.port"));
        String path = prefix + "/interrupted.rbddiff";
        Duration timeout = Duration.ofSeconds(2);
        try (FreezingTcpProxy proxy = new FreezingTcpProxy(nfsPort)) {
            NfsStore viaProxy = NfsStore.of(url + "?nfsport=" + proxy.port() + "&mountport=" + mountPort, timeout);
            byte[] chunk = random(NfsFileStreams.CHUNK);
            long[] failedAfter = {0};
            long[] frozenAt = {0};
            IOException failure = assertThrows(IOException.class, () -> viaProxy.writeAtomically(path, out -> {
                for (int i = 0; i < 4; i++) {
                    out.write(chunk);
                }
                proxy.freeze();
                long t0 = System.nanoTime();
                frozenAt[0] = t0;
                try {
                    for (int i = 0; i < 4; i++) {
                        out.write(chunk);
                    }
                    out.flush();
                } finally {
                    failedAfter[0] = System.nanoTime() - t0;
                }
                return null;
            }));
            double seconds = failedAfter[0] / 1e9;
            double whole = (System.nanoTime() - frozenAt[0]) / 1e9;
            System.out.printf("NFS server frozen mid-write: the write failed after %.2f s, the whole write with its"
                    + " clean-up after %.2f s (timeout %d s): %s%n", seconds, whole, timeout.toSeconds(),
                    failure.getMessage());
            assertTrue(seconds < timeout.toSeconds() * 2.5, "failed only after " + seconds + " s");
            // Closing the file and deleting the partial one are not tried on a server that timed out.
            assertTrue(whole < timeout.toSeconds() * 2.5, "the whole write failed only after " + whole + " s");
            assertFalse(Files.exists(exportDir.resolve(path)), "no complete-looking backup under its name");
        }
        ImageStore store = ImageStores.open(url);
        byte[] data = random(5 * NfsFileStreams.CHUNK);
        store.writeAtomically(path, out -> {
            out.write(data);
            return null;
        });
        assertArrayEquals(data, Files.readAllBytes(exportDir.resolve(path)), "the retry wrote it all");
        assertFalse(Files.exists(exportDir.resolve(path + ".part")), "the retry replaced what the failure left");
    }

    /**
     * The NFS server stops answering in the middle of a restore's read (the proxy freezes): the read-ahead
     * thread's READ times out, the reader gets that failure after the bytes before it, within the timeout, and
     * closing ends the thread (its context closed on it) at once.
     */
    @Test
    void aServerThatStopsAnsweringMidReadFailsTheReadAheadInBoundedTime() throws Exception {
        int nfsPort = Integer.parseInt(services.require("nfs.port"));
        int mountPort = Integer.parseInt(services.require("nfs.mount.port"));
        String path = prefix + "/restored.rbddiff";
        byte[] data = random(16 * NfsFileStreams.CHUNK);
        ImageStores.open(url).writeAtomically(path, out -> {
            out.write(data);
            return null;
        });
        Duration timeout = Duration.ofSeconds(2);
        try (FreezingTcpProxy proxy = new FreezingTcpProxy(nfsPort)) {
            NfsStore viaProxy = NfsStore.of(url + "?nfsport=" + proxy.port() + "&mountport=" + mountPort, timeout);
            ReadAheadFile in = ReadAheadFile.open(viaProxy, path, 2, NfsFileStreams.CHUNK);
            byte[] first = in.readNBytes(NfsFileStreams.CHUNK + 1);
            assertArrayEquals(java.util.Arrays.copyOf(data, first.length), first);
            proxy.freeze();
            long t0 = System.nanoTime();
            IOException failure = assertThrows(IOException.class, () -> in.transferTo(OutputStream.nullOutputStream()));
            double seconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            in.close();
            double closing = (System.nanoTime() - t1) / 1e9;
            System.out.printf("NFS server frozen mid-read: the reader failed after %.2f s (timeout %d s), closing took"
                    + " %.2f s: %s%n", seconds, timeout.toSeconds(), closing, failure.getMessage());
            assertTrue(seconds < timeout.toSeconds() * 2.5, "failed only after " + seconds + " s");
            assertTrue(closing < 1, "closing took " + closing + " s");
            assertTrue(failure.getMessage().contains("read"), failure.getMessage());
            assertTrue(in.bytesRead() < data.length, "it failed before the end");
        }
        try (ReadAheadFile again = ReadAheadFile.open(ImageStores.open(url), path, 2, NfsFileStreams.CHUNK)) {
            assertArrayEquals(data, again.readAllBytes(), "read whole once the server answers");
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)), again.sha256());
        }
    }

    @Test
    void aClosedPortFailsAtOnce() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        NfsStore closed = NfsStore.of("nfs://127.0.0.1/export?nfsport=" + port + "&mountport=" + port,
                Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, closed::checkWritable);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 5, "a refused connection failed only after " + seconds + " s");
        assertTrue(e.getMessage().contains("mount"), e.getMessage());
    }
}
