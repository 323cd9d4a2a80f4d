package io.rbdstack.agent.ceph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots, backups and restores on the real cluster as the pool-limited user. Every restore is
 * checked by content (a SHA-256 over the whole image, read as client.admin), and the backup
 * streams are checked against Ceph's own tools both ways: {@code rbd import-diff} restores ours,
 * and ours restores {@code rbd export-diff}'s.
 */
class RbdBackupsIT {

    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private final CephFixture cluster = new CephFixture();
    private final RadosConnector connector = new RadosConnector(RadosTimeouts.standard());
    private final RbdPool pool = cluster.limitedPool();
    private final List<String> images = new ArrayList<>();
    private final Random random = new Random(42);

    private String newImage(RbdImages rbd, long size) throws CephException {
        String name = "backup-it-" + UUID.randomUUID();
        images.add(name);
        rbd.create(name, size);
        return name;
    }

    @AfterEach
    void cleanUp() throws Exception {
        try (RadosSession session = connector.connect(cluster.adminPool())) {
            for (String image : images) {
                new RbdImages(session).delete(image);
            }
        }
        cluster.close();
    }

    @Test
    void snapshotsAreTakenIdempotentlyListedRolledBackAndDeleted() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdSnapshots snapshots = new RbdSnapshots(session);
            String image = newImage(rbd, 16 * MIB);
            write(session, image, 0, bytes(4096, 1));
            String before = sha256(session, image, null);
            assertEquals(new RbdSnapshots.Snapshot("s1", 16 * MIB), snapshots.create(image, "s1"));
            assertEquals(new RbdSnapshots.Snapshot("s1", 16 * MIB), snapshots.create(image, "s1"), "again: same one");
            write(session, image, 0, bytes(4096, 2));
            rbd.resize(image, 32 * MIB);
            assertFalse(before.equals(sha256(session, image, null)));

            snapshots.rollback(image, "s1");
            assertEquals(before, sha256(session, image, null), "content as at the snapshot");
            assertEquals(16 * MIB, rbd.info(image).orElseThrow().sizeBytes(), "and its size");
            assertEquals(List.of(new RbdSnapshots.Snapshot("s1", 16 * MIB)), snapshots.list(image));

            assertTrue(snapshots.delete(image, "s1"));
            assertFalse(snapshots.delete(image, "s1"), "already gone");
            assertEquals(List.of(), snapshots.list(image));
            CephException missing = assertThrows(CephException.class, () -> snapshots.rollback(image, "s1"));
            assertTrue(missing.getMessage().contains("no snapshot s1"), missing.getMessage());
        }
    }

    @Test
    void aFullThenTwoIncrementalBackupsRestoreEachSnapshotExactly() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdSnapshots snapshots = new RbdSnapshots(session);
            RbdBackups backups = new RbdBackups(session);
            String source = newImage(rbd, 64 * MIB);
            // Scattered writes, one spanning an object boundary, the rest of the image never written.
            write(session, source, 0, bytes(8192, 3));
            write(session, source, 4 * MIB - 1000, bytes(3000, 4));
            write(session, source, 40 * MIB, bytes(1 << 20, 5));
            snapshots.create(source, "s1");
            write(session, source, 100, bytes(50, 6));                  // changes inside written data
            zero(session, source, 40 * MIB, 1 << 20);                   // a zeroed region
            snapshots.create(source, "s2");
            rbd.resize(source, 80 * MIB);                               // grows
            write(session, source, 70 * MIB, bytes(4096, 7));
            snapshots.create(source, "s3");

            Path full = export(backups, source, null, "s1");
            Path incr2 = export(backups, source, "s1", "s2");
            Path incr3 = export(backups, source, "s2", "s3");
            // Byte for byte what Ceph's own export-diff writes for the same snapshots.
            assertEquals(-1, Files.mismatch(cephExportDiff(source, null, "s1"), full), "full backup");
            assertEquals(-1, Files.mismatch(cephExportDiff(source, "s1", "s2"), incr2), "first incremental");
            assertEquals(-1, Files.mismatch(cephExportDiff(source, "s2", "s3"), incr3), "second incremental");
            assertTrue(Files.size(full) < 8 * MIB, "sparse: far below the 64 MiB image, " + Files.size(full));

            String restored = newImage(rbd, 1 * MIB);
            restore(backups, restored, full);
            assertEquals(sha256(session, source, "s1"), sha256(session, restored, null), "full = s1");
            restore(backups, restored, incr2);
            assertEquals(sha256(session, source, "s2"), sha256(session, restored, null), "full + incr = s2");
            restore(backups, restored, incr3);
            assertEquals(80 * MIB, rbd.info(restored).orElseThrow().sizeBytes(), "grown with the source");
            assertEquals(sha256(session, source, "s3"), sha256(session, restored, null), "full + 2 incr = s3");

            // Ceph's own rbd import-diff restores the same chain from our files.
            String byCeph = "backup-it-" + UUID.randomUUID();
            images.add(byCeph);
            cluster.cli("rbd", "create", "--pool", cluster.ceph.pool(), "--size", "1M", byCeph);
            for (Path backup : List.of(full, incr2, incr3)) {
                cluster.cli("rbd", "import-diff", "--pool", cluster.ceph.pool(), backup.toString(), byCeph);
            }
            assertEquals(sha256(session, source, "s3"), sha256(session, byCeph, null), "rbd import-diff agrees");
        }
    }

    @Test
    void manyMoreChunksThanBuffersInFlightAreBackedUpAndRestoredExactly() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdBackups backups = new RbdBackups(session);
            String source = newImage(rbd, 64 * MIB);
            // 14 chunks of 4 MiB (more than twice the reads and writes kept in flight), each different.
            write(session, source, 3 * MIB, bytes(52 * (1 << 20) + 4321, 11));
            new RbdSnapshots(session).create(source, "s1");
            Path full = export(backups, source, null, "s1");
            assertEquals(-1, Files.mismatch(cephExportDiff(source, null, "s1"), full), "what rbd export-diff writes");
            String restored = newImage(rbd, 1 * MIB);
            restore(backups, restored, full);
            assertEquals(sha256(session, source, "s1"), sha256(session, restored, null));
        }
    }

    @Test
    void overlappingExtentsInOneStreamEndAsIfWrittenInOrder() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            int mib = 1 << 20;
            // Ceph never writes such a stream, but a restore must not let concurrent writes reorder one.
            java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
            RbdDiffStream.Writer writer = new RbdDiffStream.Writer(stream);
            writer.toSnapshot("s1");
            writer.size(16L * mib);
            byte[] first = bytes(4 * mib, 21);
            byte[] second = bytes(mib, 22);
            writer.write(0, first, first.length);
            writer.write(mib, second, second.length);
            writer.zero(mib + mib / 2, 4096);
            writer.end();
            byte[] expected = new byte[16 * mib];
            System.arraycopy(first, 0, expected, 0, first.length);
            System.arraycopy(second, 0, expected, mib, second.length);
            java.util.Arrays.fill(expected, mib + mib / 2, mib + mib / 2 + 4096, (byte) 0);

            String restored = newImage(rbd, 1 * MIB);
            new RbdBackups(session).restore(restored, new java.io.ByteArrayInputStream(stream.toByteArray()));
            assertEquals(expected.length + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(expected)), sha256(session, restored, null));
        }
    }

    @Test
    void manySmallWritesThroughOneBufferReusedOnceQueuedEndAsIfWrittenInOrder() throws Exception {
        // librbd copies each write when it is queued (Ceph's default): the one buffer's slices are reused at once,
        // under writes still in flight (a copy missing would show as CRC errors, timeouts or wrong bytes).
        assertManySmallWritesEndInOrder(false, true);
    }

    @Test
    void anImageWhoseMetadataTurnsZeroCopyOnKeepsEachSliceUntilItsWriteEnds() throws Exception {
        // rbd config image set IMAGE rbd_disable_zero_copy_writes false: librbd then reads the caller's buffer
        // until the write ends, whatever the agent's connection says.
        assertManySmallWritesEndInOrder(true, false);
    }

    /** The image's metadata, as rbd config image set writes it (test only). */
    interface ImageMetadata extends com.sun.jna.Library {
        ImageMetadata INSTANCE = com.sun.jna.Native.load("rbd", ImageMetadata.class);

        int rbd_metadata_set(com.sun.jna.Pointer image, String key, String value);
    }

    private void assertManySmallWritesEndInOrder(boolean zeroCopyOverride, boolean reusedAtOnce) throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            int size = 8 << 20;
            String restored = newImage(rbd, size);
            Rbd opener = new Rbd(session.ioCtx());
            if (zeroCopyOverride) {
                RbdImage image = opener.open(restored);
                try {
                    assertEquals(0, ImageMetadata.INSTANCE.rbd_metadata_set(image.getPointer(),
                            "conf_rbd_disable_zero_copy_writes", "false"));
                } finally {
                    opener.close(image);
                }
            }
            byte[] expected = new byte[size];
            // Two slots of 256 KiB for all, so slices of one buffer are reused round after round while others are in
            // flight, and extents overlap now and then (those must wait for the ones before them).
            TransferBuffers small = new TransferBuffers(3, 256 << 10);
            try (TransferBuffers.Lease other = small.take(1, 1)) {
                boolean copiesBeforeOpen = ImageConfig.librbdCopiesWrites(opener, restored);
                assertEquals(reusedAtOnce, copiesBeforeOpen, "read on a handle of its own");
                if (zeroCopyOverride) {
                    RbdImage image = opener.open(restored);
                    try (WriteBehind writes = new WriteBehind(image, restored, 2, RbdBackups.MAX_WRITES_IN_FLIGHT,
                            small, true)) {
                        assertFalse(writes.reusesBuffersAtOnce(), "read again on the writing handle");
                    } finally {
                        opener.close(image);
                    }
                }
                RbdImage image = opener.open(restored);
                try (WriteBehind writes = new WriteBehind(image, restored, 2, RbdBackups.MAX_WRITES_IN_FLIGHT,
                        small, copiesBeforeOpen)) {
                    assertEquals(reusedAtOnce, writes.reusesBuffersAtOnce());
                    assertEquals(reusedAtOnce ? 2 : 3, small.allocated(), "one buffer stages the writes librbd copies");
                    for (int i = 0; i < 600; i++) {
                        int length = 512 * (1 + random.nextInt(128)); // 512 B to 64 KiB
                        int offset = 512 * random.nextInt((size - length) / 512);
                        if (i % 50 == 49) {
                            writes.zero(offset, length);
                            java.util.Arrays.fill(expected, offset, offset + length, (byte) 0);
                            continue;
                        }
                        byte[] data = bytes(length, i);
                        writes.write(offset, data, length);
                        java.util.Arrays.fill(data, (byte) 7); // the caller's array is free again at once
                        System.arraycopy(bytes(length, i), 0, expected, offset, length);
                    }
                    writes.drain();
                } finally {
                    opener.close(image);
                }
                assertEquals(1, other.buffers().size());
            }
            assertEquals(0, small.lent(), "the writes gave their slots back");
            assertEquals(size + ":" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)),
                    sha256(session, restored, null));
        }
    }

    @Test
    void aChainWhoseVolumeShrankByARevertRestoresAtTheSmallerSize() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdSnapshots snapshots = new RbdSnapshots(session);
            RbdBackups backups = new RbdBackups(session);
            String source = newImage(rbd, 16 * MIB);
            snapshots.create(source, "small");
            rbd.resize(source, 32 * MIB);
            write(session, source, 20 * MIB, bytes(4096, 11));
            snapshots.create(source, "big");
            snapshots.rollback(source, "small");                       // back to 16 MiB
            write(session, source, 1 * MIB, bytes(4096, 12));
            snapshots.create(source, "after");

            Path full = export(backups, source, null, "big");
            Path incremental = export(backups, source, "big", "after");
            String restored = newImage(rbd, 1 * MIB);
            restore(backups, restored, full);
            restore(backups, restored, incremental);
            assertEquals(16 * MIB, rbd.info(restored).orElseThrow().sizeBytes(), "shrunk as the source did");
            assertEquals(sha256(session, source, "after"), sha256(session, restored, null));
        }
    }

    @Test
    void ourRestoreReadsWhatRbdExportDiffWrites() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            String source = newImage(rbd, 32 * MIB);
            write(session, source, 12345, bytes(200_000, 8));
            new RbdSnapshots(session).create(source, "s1");
            Path file = dir.resolve("by-ceph.diff");
            cluster.cli("rbd", "export-diff", cluster.ceph.pool() + "/" + source + "@s1", file.toString());
            String restored = newImage(rbd, 1 * MIB);
            restore(new RbdBackups(session), restored, file);
            assertEquals(sha256(session, source, "s1"), sha256(session, restored, null));
        }
    }

    @Test
    void incrementalsReadPerObjectOrThroughLibrbdAreWhatRbdExportDiffWrites() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdSnapshots snapshots = new RbdSnapshots(session);
            RbdBackups backups = new RbdBackups(session);
            String source = newImage(rbd, 32 * MIB);
            write(session, source, 0, bytes((int) (4 * MIB), 11));
            write(session, source, 8 * MIB, bytes(64 * 1024, 12));
            snapshots.create(source, "s1");
            // Several extents of one object (read in one operation), one spanning two objects (through librbd), one
            // in an object written at s1 only in part, and one in an object new since s1.
            for (int i = 0; i < 6; i++) {
                write(session, source, 300_000L * i + 7, bytes(20_000 + i, 20 + i));
            }
            write(session, source, 8 * MIB - 5000, bytes(10_000, 13));
            write(session, source, 8 * MIB + 3 * MIB, bytes(70_000, 14));
            write(session, source, 20 * MIB + 12345, bytes(50_000, 15));
            snapshots.create(source, "s2");
            assertTrue(readPerObject(session, source, "s2"), "a plain image's objects are read directly");
            Path incremental = export(backups, source, "s1", "s2");
            assertEquals(-1, Files.mismatch(cephExportDiff(source, "s1", "s2"), incremental), "plain image");

            // A clone still linked to its parent: its missing objects are the parent's data, read through librbd.
            snapshots.create(source, "base");
            String clone = "backup-it-" + UUID.randomUUID();
            images.add(0, clone); // deleted before its parent
            rbd.cloneLinked(source, "base", clone);
            snapshots.create(clone, "c1");
            write(session, clone, 5 * MIB + 100, bytes(30_000, 16));
            write(session, clone, 5 * MIB + 900_000, bytes(30_000, 17));
            snapshots.create(clone, "c2");
            assertFalse(readPerObject(session, clone, "c2"), "a linked clone is read through librbd");
            Path cloneIncremental = export(backups, clone, "c1", "c2");
            assertEquals(-1, Files.mismatch(cephExportDiff(clone, "c1", "c2"), cloneIncremental), "linked clone");
            String restored = newImage(rbd, 1 * MIB);
            restore(backups, restored, export(backups, clone, null, "c1"));
            restore(backups, restored, cloneIncremental);
            assertEquals(sha256(session, clone, "c2"), sha256(session, restored, null), "clone's full + incremental");
        }
    }

    @Test
    void incrementalsListedFromTheObjectMapsAreWhatRbdExportDiffWrites() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdSnapshots snapshots = new RbdSnapshots(session);
            RbdBackups backups = new RbdBackups(session);
            // 256 objects, few ever written: an incremental lists the ones its object maps say changed.
            String source = newImage(rbd, 1024 * MIB);
            assertTrue((rbd.info(source).orElseThrow().features() & LibRbd.FEATURE_FAST_DIFF) != 0, "fast-diff on");
            write(session, source, 0, bytes((int) (4 * MIB), 30));
            write(session, source, 100 * MIB, bytes((int) (8 * MIB), 31));
            write(session, source, 400 * MIB + 5, bytes(10_000, 32));
            snapshots.create(source, "s1");
            write(session, source, 104 * MIB - 100, bytes(200, 33));   // across two changed objects
            write(session, source, 120 * MIB + 77, bytes(3000, 36));    // three unchanged objects after them
            zero(session, source, 0, 4 * MIB);                          // a whole object zeroed
            zero(session, source, 400 * MIB, 8192);                     // part of one: reads as zeroes
            write(session, source, 900 * MIB + 3, bytes(65_536, 34));  // an object new since s1
            snapshots.create(source, "s2");
            snapshots.create(source, "s3");                             // nothing changed
            rbd.resize(source, 1100 * MIB);                             // grown, and written past the old end
            write(session, source, 1050 * MIB, bytes(4096, 35));
            snapshots.create(source, "s4");

            Path full = export(backups, source, null, "s1");
            Path incr2 = export(backups, source, "s1", "s2");
            Path incr3 = export(backups, source, "s2", "s3");
            Path incr4 = export(backups, source, "s3", "s4");
            assertEquals(-1, Files.mismatch(cephExportDiff(source, "s1", "s2"), incr2), "changes in five objects");
            assertEquals(-1, Files.mismatch(cephExportDiff(source, "s2", "s3"), incr3), "no change");
            assertEquals(-1, Files.mismatch(cephExportDiff(source, "s3", "s4"), incr4), "grown");
            assertEquals(0, backups.export(source, "s2", "s3", OutputStream.nullOutputStream()).extents(),
                    "nothing changed, no extent");

            String restored = newImage(rbd, 1 * MIB);
            for (Path backup : List.of(full, incr2, incr3, incr4)) {
                restore(backups, restored, backup);
            }
            assertEquals(sha256(session, source, "s4"), sha256(session, restored, null), "full + 3 incrementals = s4");
        }
    }

    @Test
    void anUnchangedIncrementalAsksTheOsdAboutNoDataObject() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdSnapshots snapshots = new RbdSnapshots(session);
            String source = newImage(rbd, 256 * MIB);
            for (long offset = 0; offset < 256 * MIB; offset += 4 * MIB) { // all 64 objects exist
                write(session, source, offset, bytes(4096, (int) (offset / MIB)));
            }
            snapshots.create(source, "s1");
            snapshots.create(source, "s2");
            long before = osdReadOperations();
            assertEquals(0, new RbdBackups(session).export(source, "s1", "s2", OutputStream.nullOutputStream())
                    .extents());
            long ours = osdReadOperations() - before;
            // Ceph's exact listing, for scale: one operation for each of the 64 objects, and the image's own.
            before = osdReadOperations();
            cluster.cli("rbd", "diff", "--from-snap", "s1", cluster.ceph.pool() + "/" + source + "@s2");
            long exact = osdReadOperations() - before;
            assertTrue(exact >= 64, "rbd diff: " + exact + " read operations");
            assertTrue(ours < 32, ours + " read operations on the OSD (rbd diff: " + exact + ")");
        }
    }

    @Test
    void aCloneOfASnapshotHasItsContentAndDoesNotDependOnIt() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdSnapshots snapshots = new RbdSnapshots(session);
            String source = newImage(rbd, 16 * MIB);
            write(session, source, 5 * MIB, bytes(100_000, 9));
            snapshots.create(source, "s1");
            write(session, source, 5 * MIB, bytes(100_000, 10)); // after the snapshot: not in the clone
            String clone = "backup-it-" + UUID.randomUUID();
            images.add(clone);
            RbdImageInfo made = rbd.cloneFlattened(source, "s1", clone);
            assertEquals(new RbdImageInfo(clone, 16 * MIB, 2, RbdImages.FEATURES), made);
            String atSnapshot = sha256(session, source, "s1");
            assertEquals(atSnapshot, sha256(session, clone, null));
            assertEquals(made, rbd.cloneFlattened(source, "s1", clone), "a retry finds it made");
            // Flattened and unprotected again: the snapshot can go while the clone stays.
            assertTrue(snapshots.delete(source, "s1"));
            assertEquals(atSnapshot, sha256(session, clone, null), "the clone still reads the same");
        }
    }

    @Test
    void anIncrementalBackupFromASnapshotThatIsGoneFailsWithAReason() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            String source = newImage(rbd, 8 * MIB);
            new RbdSnapshots(session).create(source, "s2");
            CephException e = assertThrows(CephException.class, () -> new RbdBackups(session).export(source, "gone",
                    "s2", OutputStream.nullOutputStream()));
            assertTrue(e.getMessage().contains("since snapshot gone"), e.getMessage());
        }
    }

    @Test
    void aBackupWhoseDigestFailsFailsWithItsCauseAndHoldsNoBuffer() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            String source = newImage(new RbdImages(session), 64 * MIB);
            write(session, source, 0, bytes(40 * (1 << 20), 13)); // 10 reads of 4 MiB
            new RbdSnapshots(session).create(source, "s1");
            IllegalStateException broken = new IllegalStateException("broken digest");
            MessageDigest failing = new FailingDigest(broken, 9 * MIB);
            try (HashBehind hash = new HashBehind(failing)) {
                java.io.IOException e = assertThrows(java.io.IOException.class, () -> new RbdBackups(session).export(
                        source, null, "s1", OutputStream.nullOutputStream(), hash,
                        io.rbdstack.spi.agent.handler.ProgressReporter.NONE));
                assertTrue(e.getCause() == broken, "the digest's failure is the cause: " + e);
            }
            assertEquals(0, TransferBuffers.AGENT.lent(), "every buffer given back");
        }
    }

    @Test
    void aBackupWhoseStoreFailsMidwayStopsItsDigestAndHoldsNoBuffer() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            String source = newImage(new RbdImages(session), 64 * MIB);
            write(session, source, 0, bytes(40 * (1 << 20), 14));
            new RbdSnapshots(session).create(source, "s1");
            java.io.IOException full = new java.io.IOException("No space left on device");
            OutputStream store = new OutputStream() {
                private long left = 10 * MIB;

                @Override
                public void write(int b) throws java.io.IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
                    left -= length;
                    if (left < 0) {
                        throw full;
                    }
                }
            };
            SlowDigest slow = new SlowDigest();
            HashBehind hash = new HashBehind(slow);
            java.io.IOException e = assertThrows(java.io.IOException.class, () -> new RbdBackups(session).export(
                    source, null, "s1", store, hash, io.rbdstack.spi.agent.handler.ProgressReporter.NONE));
            assertTrue(e == full, "the store's failure: " + e);
            assertEquals(0, TransferBuffers.AGENT.lent(), "every buffer given back");
            int updates = slow.lentAtEachUpdate.size();
            Thread.sleep(200); // a digest still running would hash on, over buffers given back
            assertEquals(updates, slow.lentAtEachUpdate.size(), "no update after export returned");
            assertTrue(updates > 0, "the digest hashed the buffers it was given");
            assertFalse(slow.lentAtEachUpdate.contains(0), "no buffer hashed after the buffers were given back: "
                    + slow.lentAtEachUpdate);
            java.io.IOException closed = assertThrows(java.io.IOException.class, hash::digest);
            assertTrue(closed.getMessage().contains("closed"), "the digest was stopped first: " + closed);
        }
    }

    /**
     * A full backup to a store whose stream buffers its writes (S3's parts) reads half objects into one of the agent's
     * buffers; to one that does not, whole objects and deeper (the same slow store both times, so the reads run ahead
     * of it). An incremental to it reads ahead into two.
     */
    @Test
    void aFullBackupToAStoreThatBuffersItsWritesReadsHalfObjectsIntoOneBuffer() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            String source = newImage(rbd, 64 * MIB);
            write(session, source, 0, bytes(48 * (1 << 20), 21));
            write(session, source, 4 * MIB, new byte[2 << 20]); // an object whose first half reads as zeroes
            write(session, source, 16 * MIB, new byte[4 << 20]); // and one that is all zeroes
            new RbdSnapshots(session).create(source, "s1");
            write(session, source, 0, bytes(16 * (1 << 20), 22));
            new RbdSnapshots(session).create(source, "s2");
            SlowStore buffering = exportToSlowStore(session, source, null, true);
            SlowStore plain = exportToSlowStore(session, source, null, false);
            SlowStore bufferingIncremental = exportToSlowStore(session, source, "s1", true);
            assertTrue(buffering.mostLent <= 1, "one buffer lent: " + buffering.mostLent);
            assertEquals(2 * MIB, buffering.largestWrite, "half objects read");
            assertTrue(plain.mostLent > 2, "deeper without: " + plain.mostLent);
            assertEquals(4 * MIB, plain.largestWrite, "whole objects without");
            assertEquals(plain.written, buffering.written, "the same stream both ways");
            assertEquals(buffering.written, buffering.hashedBehind, "the digest behind is what was written");
            assertTrue(bufferingIncremental.mostLent <= 2, "an incremental: two at most: "
                    + bufferingIncremental.mostLent);
            assertEquals(0, TransferBuffers.AGENT.lent(), "every buffer given back");
        }
    }

    /**
     * One record per extent, as rbd export-diff writes, when an object is read in halves: one whose first half reads
     * as zeroes (written later, once the second does not), one whose second half does, one all zeroes (a zero record),
     * one all data; the file is byte for byte Ceph's, and restores the snapshot.
     */
    @Test
    void aFullBackupReadInHalfObjectsIsTheFileRbdExportDiffWrites() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            RbdImages rbd = new RbdImages(session);
            RbdBackups backups = new RbdBackups(session);
            String source = newImage(rbd, 16 * MIB);
            byte[] halfOfZeroes = new byte[2 << 20];
            write(session, source, 0, halfOfZeroes);
            write(session, source, 2 * MIB, bytes(2 << 20, 31));
            write(session, source, 4 * MIB, bytes(2 << 20, 32));
            write(session, source, 6 * MIB, halfOfZeroes);
            write(session, source, 8 * MIB, new byte[4 << 20]);
            write(session, source, 12 * MIB, bytes(4 << 20, 33));
            new RbdSnapshots(session).create(source, "s1");
            Path halves = export(backups, source, null, "s1", true);
            assertEquals(-1, Files.mismatch(cephExportDiff(source, null, "s1"), halves), "what rbd export-diff writes");
            String restored = newImage(rbd, 1 * MIB);
            restore(backups, restored, halves);
            assertEquals(sha256(session, source, "s1"), sha256(session, restored, null), "restores s1");
        }
    }

    /**
     * A full backup of small extents to a store that buffers its writes, its digest far behind: the halves of its one
     * buffer hold several extents while the digest catches up (not one at a time), and none is read into again before
     * the digest had it.
     */
    @Test
    void aFullBackupReadInHalvesHoldsSeveralSmallExtentsWhileTheDigestIsBehind() throws Exception {
        try (RadosSession session = connector.connect(pool)) {
            // Objects of 64 KiB, each with 16 KiB written: 64 extents (a full listing on the test cluster's memstore
            // OSD reports an object's data as one extent from its start).
            String source = "backup-it-" + UUID.randomUUID();
            images.add(source);
            cluster.cli("rbd", "create", "--pool", cluster.ceph.pool(), "--size", "16M", "--object-size", "64K",
                    source);
            for (int i = 0; i < 64; i++) {
                write(session, source, i * 256 * 1024L, bytes(16 << 10, 100 + i));
            }
            new RbdSnapshots(session).create(source, "s1");
            SlowStore store = new SlowStore(0);
            SlowDigest digest = new SlowDigest(20);
            try (HashBehind hash = new HashBehind(digest)) {
                digest.watch(hash);
                new RbdBackups(session).export(source, null, "s1", store, hash,
                        io.rbdstack.spi.agent.handler.ProgressReporter.NONE, true);
                store.hashedBehind = HexFormat.of().formatHex(hash.digest());
            }
            store.written = HexFormat.of().formatHex(store.digest.digest());
            assertEquals(store.written, store.hashedBehind, "the digest behind is what was written");
            assertTrue(digest.mostAhead > 1, "several extents lent to the digest at once: " + digest.mostAhead);
            assertTrue(store.mostLent <= 1, "one buffer lent: " + store.mostLent);
            assertEquals(0, TransferBuffers.AGENT.lent(), "every buffer given back");
        }
    }

    /**
     * A store that takes {@code millisPerMiB} and takes native buffers as they are (a channel), recording the most
     * transfer buffers lent while it was written and its largest write.
     */
    private static final class SlowStore extends OutputStream implements WritableByteChannel {
        final MessageDigest digest;
        final long millisPerMiB;
        int mostLent;
        long largestWrite;
        /** The SHA-256 of what was written, and the one computed behind the export (set once it has ended). */
        String written;
        String hashedBehind;

        SlowStore(long millisPerMiB) throws Exception {
            this.digest = MessageDigest.getInstance("SHA-256");
            this.millisPerMiB = millisPerMiB;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            digest.update(bytes, offset, length);
            taking(length);
        }

        @Override
        public int write(ByteBuffer data) {
            int length = data.remaining();
            largestWrite = Math.max(largestWrite, length);
            digest.update(data);
            taking(length);
            return length;
        }

        private void taking(int length) {
            mostLent = Math.max(mostLent, TransferBuffers.AGENT.lent());
            if (millisPerMiB == 0) {
                return;
            }
            try {
                Thread.sleep(Math.max(1, length * millisPerMiB / (1 << 20)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    }

    /** {@code image@s1} (or {@code @s2} since {@code from}) exported to a {@link SlowStore}, a slow digest behind. */
    private static SlowStore exportToSlowStore(RadosSession session, String image, String from, boolean outBuffers)
            throws Exception {
        SlowStore store = new SlowStore(20);
        try (HashBehind hash = new HashBehind(new SlowDigest())) {
            new RbdBackups(session).export(image, from, from == null ? "s1" : "s2", store, hash,
                    io.rbdstack.spi.agent.handler.ProgressReporter.NONE, outBuffers);
            store.hashedBehind = HexFormat.of().formatHex(hash.digest());
        }
        store.written = HexFormat.of().formatHex(store.digest.digest());
        return store;
    }

    // --- helpers ---

    /**
     * A SHA-256 slow enough to fall behind the export, recording at each update of a buffer how many transfer
     * buffers were lent: 0 means it hashed a buffer already given back (and maybe reused).
     */
    private static final class SlowDigest extends MessageDigest {
        final List<Integer> lentAtEachUpdate = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final MessageDigest sha256;
        private final long sleepMillis;
        private volatile HashBehind watched;
        private long updates;
        /** With {@link #watch}: the most buffers lent to the digest and not hashed yet when it took one. */
        volatile long mostAhead;

        SlowDigest() throws java.security.NoSuchAlgorithmException {
            this(5);
        }

        SlowDigest(long sleepMillis) throws java.security.NoSuchAlgorithmException {
            super("SHA-256");
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.sleepMillis = sleepMillis;
        }

        /** Records {@link #mostAhead} of {@code hash}, whose digest this is. */
        void watch(HashBehind hash) {
            watched = hash;
        }

        @Override
        protected void engineUpdate(java.nio.ByteBuffer input) {
            lentAtEachUpdate.add(TransferBuffers.AGENT.lent());
            updates++;
            HashBehind hash = watched;
            if (hash != null) {
                mostAhead = Math.max(mostAhead, hash.lent() - updates + 1); // this one included
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            lentAtEachUpdate.add(TransferBuffers.AGENT.lent());
            sha256.update(input);
        }

        @Override
        protected void engineUpdate(byte input) {
            sha256.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int length) {
            sha256.update(input, offset, length);
        }

        @Override
        protected byte[] engineDigest() {
            return sha256.digest();
        }

        @Override
        protected void engineReset() {
            sha256.reset();
        }
    }

    /** Exports with the digest behind, as a backup does, and checks it is the file's SHA-256. */
    private Path export(RbdBackups backups, String image, String from, String to) throws Exception {
        return export(backups, image, from, to, false);
    }

    /** {@code outBuffers}: as to a store whose stream buffers its writes (S3's). */
    private Path export(RbdBackups backups, String image, String from, String to, boolean outBuffers)
            throws Exception {
        Path file = dir.resolve(image + "@" + to + ".diff");
        byte[] digest;
        try (OutputStream out = Files.newOutputStream(file);
             HashBehind hash = new HashBehind(MessageDigest.getInstance("SHA-256"))) {
            backups.export(image, from, to, out, hash, io.rbdstack.spi.agent.handler.ProgressReporter.NONE,
                    outBuffers);
            digest = hash.digest();
        }
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                HexFormat.of().formatHex(digest), "the digest behind is the file's SHA-256");
        assertEquals(0, TransferBuffers.AGENT.lent(), "every buffer given back");
        return file;
    }

    /** Whether an incremental backup of {@code image@snapshot} reads its objects directly ({@link SnapshotObjects}). */
    private static boolean readPerObject(RadosSession session, String image, String snapshot) throws Exception {
        com.ceph.rbd.Rbd rbd = new com.ceph.rbd.Rbd(session.ioCtx());
        com.ceph.rbd.RbdImage opened = rbd.openReadOnly(image, snapshot);
        try (SnapshotObjects objects = SnapshotObjects.of(session, opened, snapshot, image)) {
            return objects != null;
        } finally {
            rbd.close(opened);
        }
    }

    /** The OSD's count of read operations so far (perf counter osd.op_r). */
    private long osdReadOperations() throws Exception {
        return CephFixture.JSON.readTree(cluster.cli("ceph", "tell", "osd.0", "perf", "dump", "osd"))
                .path("osd").path("op_r").asLong(-1);
    }

    private Path cephExportDiff(String image, String from, String to) throws Exception {
        Path file = dir.resolve("ceph-" + image + "@" + to + ".diff");
        List<String> args = new ArrayList<>(List.of("export-diff"));
        if (from != null) {
            args.addAll(List.of("--from-snap", from));
        }
        args.addAll(List.of(cluster.ceph.pool() + "/" + image + "@" + to, file.toString()));
        cluster.cli("rbd", args.toArray(String[]::new));
        return file;
    }

    private static void restore(RbdBackups backups, String image, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            backups.restore(image, in);
        }
    }

    private byte[] bytes(int length, int seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static void write(RadosSession session, String image, long offset, byte[] data) throws Exception {
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage opened = rbd.open(image);
        try {
            opened.write(data, offset, data.length);
        } finally {
            rbd.close(opened);
        }
    }

    private static void zero(RadosSession session, String image, long offset, long length) throws Exception {
        Rbd rbd = new Rbd(session.ioCtx());
        RbdImage opened = rbd.open(image);
        try {
            assertEquals(length, LibRbd.INSTANCE.rbd_write_zeroes(opened.getPointer(), offset, length, 0, 0));
        } finally {
            rbd.close(opened);
        }
    }

    /** SHA-256 of every byte of the image (or of one snapshot of it), read as client.admin. */
    private String sha256(RadosSession unused, String image, String snapshot) throws Exception {
        try (RadosSession admin = connector.connect(cluster.adminPool())) {
            Rbd rbd = new Rbd(admin.ioCtx());
            RbdImage opened = snapshot == null ? rbd.openReadOnly(image) : rbd.openReadOnly(image, snapshot);
            try {
                long size = opened.stat().size;
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[4 << 20];
                for (long offset = 0; offset < size; offset += buffer.length) {
                    int length = (int) Math.min(buffer.length, size - offset);
                    assertEquals(length, opened.read(offset, buffer, length));
                    digest.update(buffer, 0, length);
                }
                return size + ":" + HexFormat.of().formatHex(digest.digest());
            } finally {
                rbd.close(opened);
            }
        }
    }
}
