package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.ApiLeftovers;
import io.rbdstack.agent.fixtures.BackupNames;
import io.rbdstack.agent.fixtures.BackupCalls;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.S3Fixture;
import io.rbdstack.agent.fixtures.TestCleanup;
import io.rbdstack.server.ApiClient;
import io.rbdstack.testing.RealServices;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verified backups end to end on the real server, agent, Ceph and image stores (a directory, an
 * NFS export served by nfs-ganesha, an S3 bucket on Ceph RGW): whole backups verify OK; a flipped byte and a truncation are
 * found (the second by the scheduled verification), the damaged backup and those built on it go to
 * Error with an alert and an event, restores from them are refused naming the backup, and the volume's
 * next backup is full.
 */
class BackupVerificationIT {

    private static final int BACKUP_DAMAGED = 120;

    @TempDir
    static Path dir;
    @TempDir
    static Path directoryStore;
    static OneHostCloud cloud;
    static ApiClient admin;
    static BackupCalls calls;
    static IoCTX io;
    static String offering;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        calls = new BackupCalls(admin);
        io = cloud.cephAdmin().ioCtx();
        cloud.createdRbdPool("verify-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        setting("backup.verify.interval", "0"); // the tests turn the schedule on when they mean it to run
    }

    /** What this test registered; undone after it, also when it failed (a store left would take the next backups). */
    private final TestCleanup cleanup = new TestCleanup();

    @AfterEach
    void undoWhatTheTestSetUp() throws Exception {
        cleanup.run();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    /** A store's backup files as this test reaches them behind the agent's back, to damage them. */
    private interface StoreFiles {
        /** Flips one byte in the middle of the snapshot's backup file (inside its data: the diff still parses). */
        void flipByte(String snapshotId) throws Exception;

        /** Cuts the snapshot's backup file to half its length. */
        void truncate(String snapshotId) throws Exception;

        /** The store's files left. */
        List<String> files() throws Exception;
    }

    /** The files of a directory (or NFS export) store, in {@code root} on this host. */
    private record DirectoryFiles(Path root) implements StoreFiles {
        @Override
        public void flipByte(String snapshotId) throws Exception {
            Path file = backupFile(root, snapshotId);
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x40;
            Files.write(file, bytes);
        }

        @Override
        public void truncate(String snapshotId) throws Exception {
            Path file = backupFile(root, snapshotId);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(Files.size(file) / 2);
            }
        }

        @Override
        public List<String> files() throws Exception {
            try (Stream<Path> left = Files.walk(root)) {
                return left.filter(Files::isRegularFile).map(Path::toString).toList();
            }
        }
    }

    /** The objects of an S3 store's bucket, replaced whole to damage them. */
    private record BucketObjects(S3Fixture bucket) implements StoreFiles {
        @Override
        public void flipByte(String snapshotId) {
            String key = backupKey(snapshotId);
            byte[] bytes = bucket.read(key);
            bytes[bytes.length / 2] ^= 0x40;
            bucket.put(key, bytes);
        }

        @Override
        public void truncate(String snapshotId) {
            String key = backupKey(snapshotId);
            byte[] bytes = bucket.read(key);
            bucket.put(key, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        }

        @Override
        public List<String> files() {
            return bucket.keys();
        }

        private String backupKey(String snapshotId) {
            List<String> named = bucket.keys().stream()
                    .filter(key -> BackupNames.isBackupOf(key.substring(key.lastIndexOf('/') + 1), snapshotId))
                    .toList();
            assertEquals(1, named.size(), "one backup object of " + snapshotId + ": " + named);
            return named.get(0);
        }
    }

    @Test
    void damageInADirectoryStoreIsFoundMarkedAlertedAndTheNextBackupIsFull() throws Exception {
        verifyAndDamage(new String[] {"provider", "SharedMountPoint", "url", directoryStore.toUri().toString()},
                new DirectoryFiles(directoryStore));
    }

    @Test
    void damageInAnS3StoreIsFoundMarkedAlertedAndTheNextBackupIsFull() throws Exception {
        // Closed (emptied, deleted) after the test's store, volumes and snapshots are undone, also when it fails.
        S3Fixture bucket = cleanup.closing(new S3Fixture("verify-it"));
        verifyAndDamage(new String[] {"provider", "S3",
                "details[0].key", "accesskey", "details[0].value", bucket.credentials.accessKey(),
                "details[1].key", "secretkey", "details[1].value", bucket.credentials.secretKey().reveal(),
                "details[2].key", "bucket", "details[2].value", bucket.bucket,
                "details[3].key", "endpoint", "details[3].value", bucket.endpoint}, new BucketObjects(bucket));
        assertEquals(List.of(), bucket.openUploadKeys(), "no upload left open");
    }

    @Test
    void damageInAnNfsStoreIsFoundMarkedAlertedAndTheNextBackupIsFull() throws Exception {
        RealServices services = RealServices.load();
        Path export = Path.of(services.require("nfs.export.dir"));
        String subdir = "verify-it-" + UUID.randomUUID();
        Path mine = Files.createDirectories(export.resolve(subdir));
        try {
            verifyAndDamage(new String[] {"provider", "NFS", "url", services.require("nfs.url") + "/" + subdir},
                    new DirectoryFiles(mine));
        } finally {
            try (Stream<Path> files = Files.walk(mine)) {
                for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** The whole story on one store, added with {@code store}'s parameters, whose files this test reaches as {@code files}. */
    private void verifyAndDamage(String[] store, StoreFiles files) throws Exception {
        List<String> params = new java.util.ArrayList<>(List.of(store));
        params.addAll(List.of("name", "verify-" + UUID.randomUUID(), "zoneid", cloud.zoneId));
        String storeId = ok(admin.call("addImageStore", params.toArray(String[]::new)), "addImageStore")
                .get("imagestore").get("id").asText();
        cleanup.add(ApiLeftovers.imageStore(admin, storeId));
        String volumeId = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        cleanup.add(ApiLeftovers.volume(admin, volumeId));
        RbdData.write(io, volumeId, 0, RbdData.bytes(2 << 20, 21));
        String s1 = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, s1));
        JsonNode full = calls.backup(s1);
        assertFalse(full.has("parent"), "s1: full");
        assertEquals(storeId, full.get("datastoreid").asText(), "on the test's store");
        RbdData.write(io, volumeId, 100 << 20, RbdData.bytes(1 << 20, 22));
        String s2 = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, s2));
        assertEquals(s1, calls.backup(s2).get("parent").asText(), "s2: incremental to s1");
        RbdData.write(io, volumeId, 300 << 20, RbdData.bytes(1 << 20, 23));
        String s3 = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, s3));
        assertEquals(s2, calls.backup(s3).get("parent").asText(), "s3: incremental to s2");
        // s1's snapshot deleted: its backup stays, s2's builds on it, so it is verified too.
        awaitOk(admin, admin.call("deleteSnapshot", "id", s1), "deleteSnapshot");

        // Whole backups verify OK, and the time and result are recorded.
        JsonNode whole = verify("volumeid", volumeId);
        assertEquals(3, whole.get("checked").asInt(), whole.toString());
        assertEquals(3, whole.get("ok").asInt(), whole.toString());
        assertEquals(Map.of(s1, "OK", s2, "OK", s3, "OK"), results(whole));
        assertEquals(List.of("Ready", "OK"), backupRow(s2));
        JsonNode verified = list(admin, "listSnapshots", "snapshot", "id", s2).get(0);
        assertEquals("OK", verified.get("backupverifyresult").asText(), verified.toString());
        assertTrue(verified.has("backupverified"), verified.toString());

        // A flipped byte in s2's data: s2 is damaged, s3 (built on it) too; s1 stays whole.
        files.flipByte(s2);
        JsonNode flipped = verify("volumeid", volumeId);
        assertEquals(Map.of(s1, "OK", s2, "CHECKSUM_MISMATCH", s3, "PARENT_DAMAGED"), results(flipped));
        assertEquals(2, flipped.get("damaged").asInt(), flipped.toString());
        assertEquals(List.of("Error", "CHECKSUM_MISMATCH"), backupRow(s2));
        assertEquals(List.of("Error", "PARENT_DAMAGED"), backupRow(s3));
        assertEquals(List.of("Ready", "OK"), backupRow(s1));
        JsonNode listedS2 = list(admin, "listSnapshots", "snapshot", "id", s2).get(0);
        assertEquals("CHECKSUM_MISMATCH", listedS2.get("backupverifyresult").asText(), listedS2.toString());
        assertEquals("BackedUp", listedS2.get("state").asText(), "the snapshot itself is as it was");
        assertFalse(listedS2.has("datastoreid"), "its backup is no longer a usable copy: " + listedS2);
        JsonNode listedS3 = list(admin, "listSnapshots", "snapshot", "id", s3).get(0);
        assertEquals("PARENT_DAMAGED", listedS3.get("backupverifyresult").asText(), listedS3.toString());
        assertAlerted(s2, "CHECKSUM_MISMATCH");
        assertAlerted(s3, "PARENT_DAMAGED");
        List<JsonNode> events = list(admin, "listEvents", "event", "listall", "true", "type", "SNAPSHOT.BACKUP.VERIFY",
                "level", "ERROR");
        assertTrue(events.stream().anyMatch(e -> e.get("description").asText().contains(s2)), events.toString());
        JsonNode again = verify("volumeid", volumeId);
        assertEquals(Map.of(), results(again), "Error backups are not checked again, nor s1's, which no backup needs"
                + " any more (the storage cleanup deletes it)");

        // The next backup is full although s1's backup is whole and its snapshot still on primary.
        RbdData.write(io, volumeId, 500 << 20, RbdData.bytes(1 << 20, 24));
        String s4 = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, s4));
        assertFalse(calls.backup(s4).has("parent"), "s4: full after a damaged chain");

        // A truncation, found by the scheduled verification (every 0.001 h = 3.6 s).
        files.truncate(s4);
        setting("backup.verify.interval", "0.001");
        try {
            Deadline.await("the scheduled verification finds s4's backup truncated", Duration.ofSeconds(60),
                    () -> backupRow(s4).equals(List.of("Error", "TRUNCATED")));
        } finally {
            setting("backup.verify.interval", "0");
        }
        assertAlerted(s4, "TRUNCATED");
        String atS5 = RbdData.sha256(io, volumeId, null);
        String s5 = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, s5));
        assertFalse(calls.backup(s5).has("parent"), "s5: full after a truncated backup");

        // With the volume gone the snapshots live in their backups only: damaged ones are refused by name.
        ok(admin.call("deleteVolume", "id", volumeId), "deleteVolume");
        for (Map.Entry<String, String> refused : Map.of(s2, s2, s3, s2, s4, s4).entrySet()) {
            ApiClient.Reply restore = admin.call("createVolume", "snapshotid", refused.getKey(), "name", "refused");
            assertEquals(431, restore.status(), restore.body());
            assertTrue(restore.body().contains("The backup of snapshot") && restore.body().contains(refused.getValue())
                    && restore.body().contains("is damaged"), restore.body());
        }
        String fromS5 = calls.createVolume("snapshotid", s5, "name", "from-s5");
        cleanup.add(ApiLeftovers.volume(admin, fromS5));
        assertEquals(atS5, RbdData.sha256(io, fromS5, null), "the new full backup restores byte for byte");

        for (String snapshot : List.of(s5, s4, s3, s2)) {
            awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot");
        }
        assertEquals(List.of(), files.files(), "damaged backups' files go too");
        ok(admin.call("deleteImageStore", "id", storeId), "deleteImageStore");
        ok(admin.call("deleteVolume", "id", fromS5), "deleteVolume");
    }

    private static JsonNode verify(String... params) throws Exception {
        return awaitOk(admin, admin.call("verifySnapshotBackups", params), "verifySnapshotBackups")
                .get("snapshotbackupverification");
    }

    private static Map<String, String> results(JsonNode report) {
        Map<String, String> results = new HashMap<>();
        for (JsonNode backup : report.path("backup")) {
            results.put(backup.get("snapshotid").asText(), backup.get("result").asText());
        }
        return results;
    }

    private static void assertAlerted(String snapshotId, String result) throws Exception {
        List<JsonNode> alerts = list(admin, "listAlerts", "alert", "type", String.valueOf(BACKUP_DAMAGED));
        assertTrue(alerts.stream().anyMatch(a -> a.get("description").asText().contains(snapshotId)
                && a.get("description").asText().contains(result)), alerts.toString());
    }

    private static void setting(String name, String value) throws Exception {
        ok(admin.call("updateConfiguration", "name", name, "value", value), "updateConfiguration");
    }

    private static Path backupFile(Path files, String snapshotId) throws Exception {
        try (Stream<Path> found = Files.walk(files)) {
            List<Path> named = found.filter(p -> BackupNames.isBackupOf(p.getFileName().toString(), snapshotId)).toList();
            assertEquals(1, named.size(), "one backup file of " + snapshotId);
            return named.get(0);
        }
    }

    /** The state and verify_result of the snapshot's backup row. */
    private static List<String> backupRow(String snapshotId) throws Exception {
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement("SELECT b.state,"
                + " b.verify_result FROM snapshot_store_ref b JOIN snapshots s ON s.id = b.snapshot_id"
                + " WHERE s.uuid = ? AND b.store_role = 'Image' ORDER BY b.id DESC LIMIT 1")) {
            ps.setString(1, snapshotId);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a backup row of " + snapshotId);
                return java.util.Arrays.asList(rs.getString(1), rs.getString(2));
            }
        }
    }
}
