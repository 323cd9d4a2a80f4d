package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.fixtures.ApiLeftovers;
import io.rbdstack.agent.fixtures.BackupNames;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.BackupCalls;
import io.rbdstack.agent.fixtures.BackupRoundTrip;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.TestCleanup;
import io.rbdstack.server.ApiClient;
import io.rbdstack.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot backups end to end: an image store (a directory this host has), full and incremental
 * backups written by the real agent from the real cluster, a volume restored from a chain after its
 * source volume is gone, and backup files kept exactly as long as a snapshot or a later backup
 * needs them.
 */
class SnapshotBackupsIT {

    private static final long GB = 1L << 30;

    @TempDir
    static Path dir;
    @TempDir
    static Path store;
    static OneHostCloud cloud;
    static ApiClient admin;
    static BackupCalls calls;
    static CephFixture cluster;
    static RadosSession session;
    static IoCTX io;
    static String offering;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture(); // before anything starts: every log line of the run is checked for keys
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        calls = new BackupCalls(admin);
        cluster = cloud.cluster;
        session = cloud.cephAdmin();
        io = session.ioCtx();
        cloud.createdRbdPool("backup-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
    }

    /** What this test registered; undone after it, also when it failed (a store left would take the next backups). */
    private final TestCleanup cleanup = new TestCleanup();

    @AfterEach
    void undoWhatTheTestSetUp() throws Exception {
        cleanup.run();
    }

    @AfterAll
    static void stop() throws Exception {
        // After every test: backups and restores ran through librbd in the agent, no key in any log line.
        String logged = String.join("\n", logs.lines());
        assertTrue(logged.contains("Backed up snapshot"), "the capture saw the backups");
        for (String key : List.of(cloud.ceph.admin().key(), cloud.ceph.limitedUser().key())) {
            assertFalse(logged.contains(key), "a cephx key is in the logs");
            assertFalse(logged.contains(OneHostCloud.enc(key)), "a URL-encoded cephx key is in the logs");
        }
        if (cloud != null) {
            cloud.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void fullAndIncrementalBackupsToADirectoryRestoreEachSnapshotByteForByte() throws Exception {
        Path mine = Files.createDirectories(store.resolve("round-trip"));
        JsonNode added = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "dir-backups", "url",
                mine.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore").get("imagestore");
        cleanup.add(ApiLeftovers.imageStore(admin, added.get("id").asText()));
        BackupRoundTrip roundTrip = new BackupRoundTrip(admin, calls, io, cloud.zoneId, offering);
        BackupRoundTrip.Made made = roundTrip.run("dir-backups", cleanup);
        try (Stream<Path> files = Files.walk(mine)) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".rbddiff")).count(), "the two backup files");
        }
        roundTrip.deleteAll(made);
        try (Stream<Path> files = Files.walk(mine)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "both backup files are gone");
        }
    }

    @Test
    void backupsAreIncrementalRestorableWithoutTheSourceAndDeletedWhenNothingNeedsThem() throws Exception {
        // Bad stores are refused, naming what is wrong.
        ApiClient.Reply nfs = admin.call("addImageStore", "provider", "NFS", "url", "nfs://10.0.0.9", "zoneid",
                cloud.zoneId);
        assertEquals(431, nfs.status());
        assertTrue(nfs.body().contains("parameter url") && nfs.body().contains("export path"), nfs.body());
        ApiClient.Reply fileAsNfs = admin.call("addImageStore", "provider", "NFS", "url", store.toUri().toString(),
                "zoneid", cloud.zoneId);
        assertEquals(431, fileAsNfs.status());
        assertTrue(fileAsNfs.body().contains("not an NFS URL"), fileAsNfs.body());
        ApiClient.Reply notMounted = admin.call("addImageStore", "provider", "SharedMountPoint", "url",
                store.resolve("not-mounted").toUri().toString(), "zoneid", cloud.zoneId);
        assertEquals(431, notMounted.status());
        assertTrue(notMounted.body().contains("does not exist on this host"), notMounted.body());
        assertEquals(431, admin.call("addImageStore", "provider", "SharedMountPoint", "url", "http://x/y", "zoneid",
                cloud.zoneId).status());

        String volumeId = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        cleanup.add(ApiLeftovers.volume(admin, volumeId));
        String s1 = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, s1));
        ApiClient.Reply noStore = admin.call("backupSnapshot", "id", s1);
        assertEquals(431, noStore.status(), "no image store in the zone yet");
        assertTrue(noStore.body().contains("addImageStore"), noStore.body());

        JsonNode added = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "backups", "url",
                store.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore").get("imagestore");
        cleanup.add(ApiLeftovers.imageStore(admin, added.get("id").asText()));
        assertEquals("backups", added.get("name").asText());
        assertEquals("SharedMountPoint", added.get("providername").asText());
        assertTrue(added.get("disksizetotal").asLong() > 0, added.toString());
        assertEquals(List.of("backups"), list(admin, "listImageStores", "imagestore").stream()
                .map(s -> s.get("name").asText()).toList());

        RbdData.write(io, volumeId, 0, RbdData.bytes(3 << 20, 1));
        String s2 = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, s2));
        JsonNode full = calls.backup(s2);
        assertEquals("BackedUp", full.get("state").asText());
        long fullSize = full.get("physicalsize").asLong();
        assertTrue(fullSize > 3 << 20, "holds the 3 MiB written: " + fullSize);
        assertFalse(full.has("parent"), "a full backup builds on nothing: " + full);
        assertEquals(added.get("id").asText(), full.get("datastoreid").asText(), "the store holding it");
        assertEquals("backups", full.get("datastorename").asText());
        assertEquals("Image", full.get("datastoretype").asText());
        Path s2File = backupFile(volumeId, s2);
        assertEquals(fullSize, Files.size(s2File));

        RbdData.write(io, volumeId, 100 << 20, RbdData.bytes(8192, 2));
        String atS3 = RbdData.sha256(io, volumeId, null);
        String s3 = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, s3));
        JsonNode incremental = calls.backup(s3);
        assertTrue(incremental.get("physicalsize").asLong() < 64 << 10,
                "incremental: only the 8 KiB changed, " + incremental.get("physicalsize"));
        assertTrue(incremental.get("revertable").asBoolean(), "still on primary too");
        assertEquals(s2, incremental.get("parent").asText(), "the chain: s3's backup builds on s2's");
        assertEquals(full.get("name").asText(), incremental.get("parentname").asText());
        assertEquals("backups", incremental.get("datastorename").asText());
        assertFalse(list(admin, "listSnapshots", "snapshot", "id", s1).get(0).has("datastoreid"), "s1 is not backed up");

        // s2's backup is the base of s3's: deleting s2 keeps the file; s1 was never backed up.
        awaitOk(admin, admin.call("deleteSnapshot", "id", s2), "deleteSnapshot");
        awaitOk(admin, admin.call("deleteSnapshot", "id", s1), "deleteSnapshot");
        assertTrue(Files.exists(s2File), "kept while the backup of s3 depends on it");

        // The source volume goes, and with it every snapshot on primary; s3 lives on in its backups.
        ok(admin.call("deleteVolume", "id", volumeId), "deleteVolume");
        JsonNode s3Now = list(admin, "listSnapshots", "snapshot", "id", s3).get(0);
        assertEquals("BackedUp", s3Now.get("state").asText());
        assertFalse(s3Now.get("revertable").asBoolean(), "no longer on primary");
        assertEquals(431, admin.call("revertSnapshot", "id", s3).status());

        String restored = calls.createVolume("snapshotid", s3, "name", "restored");
        cleanup.add(ApiLeftovers.volume(admin, restored));
        assertEquals(atS3, RbdData.sha256(io, restored, null), "full + incremental = the volume as at s3");
        assertEquals(GB, list(admin, "listVolumes", "volume", "id", restored).get(0).get("size").asLong());

        ApiClient.Reply busy = admin.call("deleteImageStore", "id", added.get("id").asText());
        assertEquals(431, busy.status(), busy.body());
        awaitOk(admin, admin.call("deleteSnapshot", "id", s3), "deleteSnapshot");
        try (Stream<Path> files = Files.walk(store)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "both backup files are gone");
        }
        ok(admin.call("deleteImageStore", "id", added.get("id").asText()), "deleteImageStore");
        ok(admin.call("deleteVolume", "id", restored), "deleteVolume");
    }

    @Test
    void withBackupToSecondaryOnCreateSnapshotBacksUpInTheSameJob() throws Exception {
        Path own = Files.createDirectories(store.resolve("second-store"));
        String storeId = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "second", "url",
                own.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore").get("imagestore").get("id").asText();
        cleanup.add(ApiLeftovers.imageStore(admin, storeId));
        String volumeId = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        cleanup.add(ApiLeftovers.volume(admin, volumeId));
        cleanup.add(() -> ok(admin.call("updateConfiguration", "name", "snapshot.backup.to.secondary", "value",
                "false"), "updateConfiguration"));
        ok(admin.call("updateConfiguration", "name", "snapshot.backup.to.secondary", "value", "true"),
                "updateConfiguration");
        RbdData.write(io, volumeId, 0, RbdData.bytes(1 << 20, 3));
        JsonNode snapshot = awaitOk(admin, admin.call("createSnapshot", "volumeid", volumeId),
                "createSnapshot").get("snapshot");
        cleanup.add(ApiLeftovers.snapshot(admin, snapshot.get("id").asText()));
        assertEquals("BackedUp", snapshot.get("state").asText());
        assertEquals(storeId, snapshot.get("datastoreid").asText(), "on the test's store");
        assertTrue(snapshot.get("physicalsize").asLong() > 1 << 20, snapshot.toString());
        assertTrue(snapshot.get("revertable").asBoolean(), "and still on primary");
        try (Stream<Path> files = Files.walk(own)) {
            assertEquals(1, files.filter(p -> BackupNames.isBackupOf(p.getFileName().toString(),
                    snapshot.get("id").asText()))
                    .count());
        }
        awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot.get("id").asText()), "deleteSnapshot");

        // asyncbackup: the job ends with the snapshot taken, the backup finishes after it.
        JsonNode taken = awaitOk(admin, admin.call("createSnapshot", "volumeid", volumeId, "asyncbackup", "true"),
                "createSnapshot").get("snapshot");
        String takenId = taken.get("id").asText();
        cleanup.add(ApiLeftovers.snapshot(admin, takenId));
        assertEquals("BackingUp", taken.get("state").asText(), "the job ends before the backup: " + taken);
        assertEquals(0, taken.get("physicalsize").asLong());
        Deadline.await("snapshot " + takenId + " is BackedUp", Duration.ofSeconds(30), () -> list(admin,
                "listSnapshots", "snapshot", "id", takenId).get(0).get("state").asText().equals("BackedUp"));
        awaitOk(admin, admin.call("deleteSnapshot", "id", takenId), "deleteSnapshot");
    }

    @Test
    void aBackupRecordedUnderItsPlainNameBeforeAttemptNamesStillVerifiesRestoresAndDeletes() throws Exception {
        Path legacyStore = Files.createDirectories(dir.resolve("legacy-store"));
        String storeId = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "legacy", "url",
                legacyStore.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore").get("imagestore").get("id")
                .asText();
        cleanup.add(ApiLeftovers.imageStore(admin, storeId));
        String volumeId = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        cleanup.add(ApiLeftovers.volume(admin, volumeId));
        RbdData.write(io, volumeId, 0, RbdData.bytes(1 << 20, 7));
        String atSnapshot = RbdData.sha256(io, volumeId, null);
        String snapshot = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, snapshot));
        assertEquals(storeId, calls.backup(snapshot).get("datastoreid").asText(), "on the test's store");
        // The row and file as a server and agent before attempt names left them: <uuid>.rbddiff.
        Path written;
        try (Stream<Path> files = Files.walk(legacyStore)) {
            written = files.filter(p -> BackupNames.isBackupOf(p.getFileName().toString(),
                    snapshot)).findFirst().orElseThrow();
        }
        Path plain = Files.move(written, written.resolveSibling(snapshot + ".rbddiff"));
        String plainPath = legacyStore.relativize(plain).toString();
        try (java.sql.Connection c = cloud.db.connect(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE snapshot_store_ref r JOIN snapshots s ON s.id = r.snapshot_id SET r.install_path = ?"
                        + " WHERE s.uuid = ? AND r.store_role = 'Image'")) {
            ps.setString(1, plainPath);
            ps.setString(2, snapshot);
            assertEquals(1, ps.executeUpdate());
        }

        JsonNode report = awaitOk(admin, admin.call("verifySnapshotBackups", "snapshotid", snapshot),
                "verifySnapshotBackups").get("snapshotbackupverification");
        assertEquals(1, report.get("ok").asInt(), report.toString());
        assertEquals(plainPath, report.get("backup").get(0).get("path").asText());
        ok(admin.call("deleteVolume", "id", volumeId), "deleteVolume"); // restored from the backup, not primary
        String restored = calls.createVolume("snapshotid", snapshot, "name", "restored-legacy");
        cleanup.add(ApiLeftovers.volume(admin, restored));
        assertEquals(atSnapshot, RbdData.sha256(io, restored, null));
        awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot");
        try (Stream<Path> files = Files.walk(legacyStore)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "the plain-named file is deleted");
        }
        ok(admin.call("deleteImageStore", "id", storeId), "deleteImageStore");
        ok(admin.call("deleteVolume", "id", restored), "deleteVolume");
    }

    // --- helpers ---

    private static Path backupFile(String volumeId, String snapshotId) throws Exception {
        try (Stream<Path> files = Files.walk(store)) {
            List<Path> found = files.filter(p -> BackupNames.isBackupOf(p.getFileName().toString(), snapshotId)).toList();
            assertEquals(1, found.size(), "one backup file of " + snapshotId);
            assertTrue(found.get(0).getParent().getFileName().toString().matches("\\d+"), found.toString());
            return found.get(0);
        }
    }
}
