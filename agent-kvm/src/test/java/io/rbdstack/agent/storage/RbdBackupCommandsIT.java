package io.rbdstack.agent.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.ceph.RbdSnapshots;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.storage.rbd.agent.BackupFile;
import io.rbdstack.storage.rbd.agent.BackupRbdSnapshotCommand;
import io.rbdstack.storage.rbd.agent.RbdBackupAnswer;
import io.rbdstack.storage.rbd.agent.RbdImageAnswer;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.RestoreRbdBackupCommand;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup and restore commands between the real cluster and an image store directory. */
class RbdBackupCommandsIT {

    private static final long MIB = 1L << 20;

    @TempDir
    Path store;

    private final CephFixture cluster = new CephFixture();
    private final RadosConnector connector = new RadosConnector(RadosTimeouts.standard());
    private final RbdPool pool = cluster.limitedPool();
    private final RbdBackupCommands commands = new RbdBackupCommands(connector);
    private final List<String> images = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        try (RadosSession session = connector.connect(cluster.adminPool())) {
            for (String image : images) {
                new RbdImages(session).delete(image);
            }
        }
        cluster.close();
    }

    private String url() {
        return store.toUri().toString();
    }

    @Test
    void aBackupChainWrittenToTheStoreRestoresTheLatestSnapshotExactly() throws Exception {
        String source = sourceWithTwoSnapshots();
        RbdBackupAnswer full = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s1", null, url(),
                "snapshots/2/7/s1.rbddiff"));
        RbdBackupAnswer incremental = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s2", "s1", url(),
                "snapshots/2/7/s2.rbddiff"));
        assertTrue(full.success(), full.details());
        assertTrue(incremental.success(), incremental.details());
        // Each run writes a name of its own, in the directory and after the name the server gave.
        assertTrue(full.path().matches("snapshots/2/7/s1\\.[0-9a-f]{11}-[0-9a-f]{8}\\.rbddiff"), full.path());
        assertTrue(incremental.path().matches("snapshots/2/7/s2\\.[0-9a-f]{11}-[0-9a-f]{8}\\.rbddiff"),
                incremental.path());
        Path fullFile = store.resolve(full.path());
        assertEquals(Files.size(fullFile), full.physicalSizeBytes());
        assertEquals(sha256(Files.readAllBytes(fullFile)), full.sha256());
        assertTrue(incremental.physicalSizeBytes() < full.physicalSizeBytes(), "only the change");
        try (var leftovers = Files.walk(store)) {
            assertEquals(0, leftovers.filter(p -> p.toString().endsWith(".part")).count(), "no temporary files left");
        }

        String restored = "restore-it-" + UUID.randomUUID();
        images.add(restored);
        RbdImageAnswer answer = commands.restore(new RestoreRbdBackupCommand(pool, restored, 16 * MIB, List.of(
                new BackupFile(url(), full.path(), full.sha256()),
                new BackupFile(url(), incremental.path(), incremental.sha256()))));
        assertTrue(answer.success(), answer.details());
        assertEquals(16 * MIB, answer.sizeBytes());
        assertEquals(imageSha(source, "s2"), imageSha(restored, null));
    }

    @Test
    void aDamagedBackupFailsTheRestoreAndLeavesNoImage() throws Exception {
        String source = sourceWithTwoSnapshots();
        RbdBackupAnswer full = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s1", null, url(), "s1.diff"));
        // One flipped byte inside the data: the stream still parses, only the checksum can tell.
        Path file = store.resolve(full.path());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            long position = Files.size(file) - 100;
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 1)).rewind();
            channel.write(one, position);
        }
        String restored = "restore-it-" + UUID.randomUUID();
        images.add(restored);
        RbdImageAnswer answer = commands.restore(new RestoreRbdBackupCommand(pool, restored, 16 * MIB,
                List.of(new BackupFile(url(), full.path(), full.sha256()))));
        assertFalse(answer.success());
        assertTrue(answer.details().contains("is damaged"), answer.details());
        try (RadosSession session = connector.connect(pool)) {
            assertFalse(new RbdImages(session).exists(restored), "the half-restored image is deleted");
        }
    }

    @Test
    void aPathOutsideTheStoreOrAStoreThatIsNotThereIsRefused() throws Exception {
        String source = sourceWithTwoSnapshots();
        RbdBackupAnswer escape = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s1", null, url(),
                "../outside.diff"));
        assertFalse(escape.success());
        assertTrue(escape.details().contains("is not inside image store"), escape.details());
        assertFalse(Files.exists(store.getParent().resolve("outside.diff")), "nothing written outside the store");
        RbdBackupAnswer missing = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s1", null,
                store.resolve("not-mounted").toUri().toString(), "s1.diff"));
        assertFalse(missing.success());
        assertTrue(missing.details().contains("does not exist on this host"), missing.details());
        // An NFS store nobody serves: libnfs gives up within its timeout and the answer names the mount.
        RbdBackupAnswer nfs = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s1", null,
                "nfs://10.0.0.1/export", "s1.diff"));
        assertFalse(nfs.success());
        assertTrue(nfs.details().contains("NFS mount /export from 10.0.0.1"), nfs.details());
    }

    @Test
    void aLinkInTheStoreThatLeadsOutOfItIsRefusedByBackupAndRestoreAndNothingOutsideIsWrittenOrRead(
            @TempDir Path outside) throws Exception {
        String source = sourceWithTwoSnapshots();
        // A directory on the way is a link out of the store: the backup is refused, nothing is written there.
        Files.createDirectories(store.resolve("snapshots"));
        Files.createSymbolicLink(store.resolve("snapshots/2"), outside);
        RbdBackupAnswer throughLink = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s1", null, url(),
                "snapshots/2/7/s1.rbddiff"));
        assertFalse(throughLink.success());
        assertTrue(throughLink.details().contains("snapshots/2 in image store " + store.toRealPath()
                + " is a symbolic link (to " + outside + ")"), throughLink.details());
        assertEquals(List.of(), entries(outside), "nothing written outside the store");

        // A good backup, and a copy of it outside the store that links inside lead to.
        RbdBackupAnswer full = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s1", null, url(),
                "good/s1.rbddiff"));
        assertTrue(full.success(), full.details());
        Path copy = Files.copy(store.resolve(full.path()), outside.resolve("s1.rbddiff"));
        Files.createSymbolicLink(store.resolve("good/linked.rbddiff"), copy);
        for (String linked : List.of("snapshots/2/s1.rbddiff", "good/linked.rbddiff")) {
            String restored = "restore-it-" + UUID.randomUUID();
            images.add(restored);
            RbdImageAnswer answer = commands.restore(new RestoreRbdBackupCommand(pool, restored, 16 * MIB,
                    List.of(new BackupFile(url(), linked, full.sha256()))));
            assertFalse(answer.success(), linked);
            assertTrue(answer.details().contains("is a symbolic link"), answer.details());
            try (RadosSession session = connector.connect(pool)) {
                assertFalse(new RbdImages(session).exists(restored), "no image left by the refused restore");
            }
        }
        // A backup named after a link writes a name of its own beside it, never through the link.
        RbdBackupAnswer besideLink = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s2", "s1", url(),
                "good/linked.rbddiff"));
        assertTrue(besideLink.success(), besideLink.details());
        assertTrue(besideLink.path().startsWith("good/linked.") && !besideLink.path().equals("good/linked.rbddiff"),
                besideLink.path());
        assertTrue(Files.isRegularFile(store.resolve(besideLink.path()), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of(copy), entries(outside));
        assertEquals(sha256(Files.readAllBytes(store.resolve(full.path()))), sha256(Files.readAllBytes(copy)));

        // A store whose directory is a link to a system directory is refused as that directory.
        Path toEtc = Files.createSymbolicLink(outside.resolve("store-link"), Path.of("/etc"));
        RbdBackupAnswer etc = commands.backup(new BackupRbdSnapshotCommand(pool, source, "s1", null,
                toEtc.toUri().toString(), "s1.rbddiff"));
        assertFalse(etc.success());
        assertTrue(etc.details().contains("resolves to /etc on this host: /etc is a system directory"),
                etc.details());
        assertFalse(Files.exists(Path.of("/etc/s1.rbddiff"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private static List<Path> entries(Path directory) throws Exception {
        try (var walk = Files.walk(directory)) {
            return walk.filter(p -> !p.equals(directory)).sorted().toList();
        }
    }

    private String sourceWithTwoSnapshots() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            String name = "restore-it-" + UUID.randomUUID();
            images.add(name);
            new RbdImages(session).create(name, 16 * MIB);
            write(session, name, 0, 2 * MIB, 1);
            new RbdSnapshots(session).create(name, "s1");
            write(session, name, 9 * MIB, 4096, 2);
            new RbdSnapshots(session).create(name, "s2");
            return name;
        }
    }

    private static void write(RadosSession session, String image, long offset, long length, int seed)
            throws Exception {
        byte[] data = new byte[(int) length];
        new Random(seed).nextBytes(data);
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage opened = rbd.open(image);
        try {
            opened.write(data, offset, data.length);
        } finally {
            rbd.close(opened);
        }
    }

    private String imageSha(String image, String snapshot) throws Exception {
        try (RadosSession session = connector.connect(cluster.adminPool())) {
            Rbd rbd = new Rbd(session.ioCtx());
            RbdImage opened = snapshot == null ? rbd.openReadOnly(image) : rbd.openReadOnly(image, snapshot);
            try {
                long size = opened.stat().size;
                byte[] all = new byte[(int) size];
                assertEquals((int) size, opened.read(0, all, (int) size));
                return size + ":" + sha256(all);
            } finally {
                rbd.close(opened);
            }
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
