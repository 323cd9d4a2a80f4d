package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.server.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage cleanup end to end, with the real agent and Ceph: deferred deletes purged from the
 * RBD trash once their deferral passes, and volumes a crashed management server left
 * mid-operation settled to what Ceph holds. A crash is staged the way it leaves the database: the
 * row in the operation's state, unchanged for an hour, with no job on a live server.
 */
class StorageCleanupIT {

    private static final long GB = 1L << 30;

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static CephFixture cluster;
    static String offering;

    private final List<String> volumeIds = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        cluster = cloud.cluster;
        cloud.createdRbdPool("cleanup-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        ok(admin.call("updateConfiguration", "name", "storage.cleanup.interval", "value", "1"), "updateConfiguration");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        admin.call("updateConfiguration", "name", "storage.volume.deferred.delete.seconds", "value", "0");
        for (String id : volumeIds) {
            admin.call("deleteVolume", "id", id);
            removeFromTrash(id);
        }
    }

    @Test
    void aDeferredDeleteIsPurgedFromTheTrashOnceItsDeferralPassesAndTheVolumeIsExpunged() throws Exception {
        ok(admin.call("updateConfiguration", "name", "storage.volume.deferred.delete.seconds", "value", "3"),
                "updateConfiguration");
        String id = createVolume(1);
        Instant deleted = Instant.now();
        ok(admin.call("deleteVolume", "id", id), "deleteVolume");
        assertEquals("Destroyed", rowState(id));
        assertTrue(trash().contains(id), "waits in the trash: " + trash());

        Deadline.await("volume " + id + " is Expunged", Duration.ofSeconds(30), () -> rowState(id).equals("Expunged"));
        assertFalse(trash().contains(id), "purged from the trash: " + trash());
        assertTrue(Duration.between(deleted, Instant.now()).toSeconds() >= 3, "not before its deferral");
    }

    @Test
    void volumesLeftMidOperationBySomeStoppedServerAreSettledToWhatCephHolds() throws Exception {
        String creating = createVolume(1);     // the image exists: what a half-done create may leave
        String allocated = createVolume(1);    // staged below without an image: the storage was never asked
        String resizing = createVolume(1);     // grown behind the server's back to 2 GB; the row says 3 GB
        String destroyingKept = createVolume(1);  // the delete never reached Ceph
        String destroyingGone = createVolume(1);  // the delete did reach Ceph
        cluster.cli("rbd", "rm", "--pool", cloud.ceph.pool(), allocated);
        cluster.cli("rbd", "resize", "--pool", cloud.ceph.pool(), "--size", "2G", resizing);
        cluster.cli("rbd", "rm", "--pool", cloud.ceph.pool(), destroyingGone);
        stage(creating, "Creating", GB);
        stage(allocated, "Allocated", GB);
        stage(resizing, "Resizing", 3 * GB);
        stage(destroyingKept, "Destroying", GB);
        stage(destroyingGone, "Destroying", GB);

        Deadline.await("every staged volume is settled", Duration.ofSeconds(30), () ->
                List.of(rowState(creating), rowState(allocated), rowState(resizing), rowState(destroyingKept),
                        rowState(destroyingGone)).equals(List.of("Error", "Error", "Ready", "Ready", "Expunged")));
        assertFalse(images().contains(creating), "the half-created image is deleted");
        assertEquals(2 * GB, volume(resizing).get("size").asLong(), "Ready at the size Ceph reports");
        assertTrue(images().contains(destroyingKept));
        assertEquals(1, listVolumes("id", destroyingKept).size(), "listed again, so its delete can be retried");
        assertEquals(0, listVolumes("id", creating).size());
        ok(admin.call("deleteVolume", "id", destroyingKept), "deleteVolume");
        assertFalse(images().contains(destroyingKept));
    }

    @Test
    void aVolumeWhoseJobStillRunsOnALiveServerIsLeftAlone() throws Exception {
        String id = createVolume(1);
        stage(id, "Creating", GB);
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO async_job"
                + " (uuid, user_id, account_id, cmd, instance_type, instance_id, executing_msid, created, last_updated)"
                + " SELECT ?, u.id, u.account_id, 'createVolume', 'Volume', ?, ?, NOW(), NOW() FROM user u"
                + " WHERE u.username = 'admin'")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, id);
            ps.setLong(3, cloud.server.server.msid());
            assertEquals(1, ps.executeUpdate());
        }
        // A volume left Creating with no job, staged after the job row: once a cleanup run has settled it, that run
        // (or a later one) has seen the volume whose job still runs, and must not have touched it.
        String settled = createVolume(1);
        stage(settled, "Creating", GB);
        Deadline.await("a cleanup run settles volume " + settled, Duration.ofSeconds(30),
                () -> rowState(settled).equals("Error"));
        assertEquals("Creating", rowState(id));
        assertTrue(images().contains(id));
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE async_job SET job_status = 2 WHERE instance_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
        Deadline.await("volume " + id + " is settled once its job is over", Duration.ofSeconds(30),
                () -> rowState(id).equals("Error"));
        assertFalse(images().contains(id));
    }

    @Test
    void snapshotsLeftMidOperationAreSettledAndTheirVolumeIsReadyAgain() throws Exception {
        String volume = createVolume(1);
        String creating = snapshot(volume);
        String destroying = snapshot(volume);
        String backingUp = snapshot(volume);
        assertEquals(List.of(creating, destroying, backingUp), rbdSnapshots(volume));
        // A take that died after Ceph made the snapshot, and a delete that died before Ceph removed it.
        sql("DELETE r FROM snapshot_store_ref r JOIN snapshots s ON s.id = r.snapshot_id WHERE s.uuid = ?", creating);
        stageSnapshot(creating, "Creating");
        stageSnapshot(destroying, "Destroying");
        stageSnapshot(backingUp, "BackingUp"); // a backup whose job died before it was recorded
        stage(volume, "Snapshotting", GB);

        Deadline.await("the snapshots and their volume are settled", Duration.ofSeconds(30), () ->
                List.of(snapshotState(creating), snapshotState(destroying), snapshotState(backingUp), rowState(volume))
                        .equals(List.of("Error", "Destroyed", "CreatedOnPrimary", "Ready")));
        assertEquals(List.of(backingUp), rbdSnapshots(volume), "the two settled RBD snapshots are gone, the other stays");
    }

    @Test
    void theFilesOfUnacceptedBackupAttemptsGoOnceNoneCanRunAndTheRecordedBackupNeverDoes() throws Exception {
        Path storeDir = Files.createDirectories(dir.resolve("attempts-store"));
        String storeId = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "attempts", "url",
                storeDir.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore").get("imagestore").get("id")
                .asText();
        String volume = createVolume(1);
        String snapshot = snapshot(volume);
        try {
            JsonNode job = admin.awaitJob(ok(admin.call("backupSnapshot", "id", snapshot), "backupSnapshot")
                    .get("jobid").asText());
            assertEquals(1, job.get("jobstatus").asInt(), job.toString());
            Path recorded;
            try (Stream<Path> files = Files.walk(storeDir)) {
                recorded = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            byte[] recordedBytes = Files.readAllBytes(recorded);
            // What other attempts at this snapshot left (one answered too late, one killed), and another snapshot's.
            Path late = Files.write(recorded.resolveSibling(snapshot + ".0000000000a-0badc0de.rbddiff"), new byte[] {1});
            Path killed = Files.write(recorded.resolveSibling(snapshot + ".0000000000b-0badc0de.rbddiff.part"),
                    new byte[] {2});
            Path other = Files.write(recorded.resolveSibling(UUID.randomUUID() + ".0000000000c-0badc0de.rbddiff"),
                    new byte[] {3});

            Thread.sleep(3_000); // three cleanup runs: an attempt of the snapshot may still be running
            assertTrue(Files.exists(late) && Files.exists(killed), "kept while its last attempt is recent");
            // The server may wait a week for a backup of this pool: its attempts may still write a day later.
            ok(admin.call("updateConfiguration", "name", "rbd.transfer.timeout.seconds", "value", "604800"),
                    "updateConfiguration");
            try {
                cloud.ageBackupAttempts(snapshot, Duration.ofDays(7));
                Thread.sleep(3_000); // three cleanup runs
                assertTrue(Files.exists(late) && Files.exists(killed), "kept a week after the last attempt: a"
                        + " transfer may run a week, the leftovers wait an hour more");
                cloud.ageBackupAttempts(snapshot, Duration.ofDays(7).plusHours(1).plusMinutes(1));
                Deadline.await("the unaccepted attempts' files are deleted", Duration.ofSeconds(30),
                        () -> !Files.exists(late) && !Files.exists(killed));
            } finally {
                ok(admin.call("updateConfiguration", "name", "rbd.transfer.timeout.seconds", "value", "21600"),
                        "updateConfiguration");
            }
            assertArrayEquals(recordedBytes, Files.readAllBytes(recorded), "the recorded backup stays as it was");
            assertTrue(Files.exists(other), "another snapshot's files are not this snapshot's leftovers");
            assertEquals(null, backupAttempted(snapshot), "done: not looked at again");
            Files.delete(other);
        } finally {
            admin.awaitJob(ok(admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot").get("jobid").asText());
            ok(admin.call("deleteImageStore", "id", storeId), "deleteImageStore");
        }
    }

    // A deleted snapshot's backup a later incremental still needs stays recorded (nothing may delete it until the
    // child goes): the leftovers cleanup of the deleted snapshot keeps it, and clears the snapshot.
    @Test
    void aDeletedSnapshotsBackupThatAChildIncrementalNeedsKeepsItsFileThroughTheLeftoversCleanup() throws Exception {
        Path storeDir = Files.createDirectories(dir.resolve("chain-store"));
        String storeId = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "chain", "url",
                storeDir.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore").get("imagestore").get("id")
                .asText();
        String volume = createVolume(1);
        String parent = snapshot(volume);
        String child = null;
        try {
            backup(parent);
            Path parentFile;
            try (Stream<Path> files = Files.walk(storeDir)) {
                parentFile = files.filter(Files::isRegularFile).findFirst().orElseThrow();
            }
            child = snapshot(volume);
            backup(child);
            assertEquals(1L, count("SELECT COUNT(*) FROM snapshot_store_ref r JOIN snapshots s ON s.id = r.snapshot_id"
                    + " JOIN snapshots p ON p.id = r.parent_snapshot_id WHERE s.uuid = ? AND p.uuid = ?", child, parent),
                    "the child's backup is an incremental on the parent's");
            byte[] parentBytes = Files.readAllBytes(parentFile);
            admin.awaitJob(ok(admin.call("deleteSnapshot", "id", parent), "deleteSnapshot").get("jobid").asText());

            cloud.ageBackupAttempts(parent);
            Deadline.await("the deleted parent's leftovers are looked for", Duration.ofSeconds(30),
                    () -> backupAttempted(parent) == null);
            assertArrayEquals(parentBytes, Files.readAllBytes(parentFile), "the file the child needs stays");
        } finally {
            if (child != null) {
                admin.awaitJob(ok(admin.call("deleteSnapshot", "id", child), "deleteSnapshot").get("jobid").asText());
            }
            ok(admin.call("deleteImageStore", "id", storeId), "deleteImageStore");
        }
    }

    private static void backup(String snapshot) throws Exception {
        JsonNode job = admin.awaitJob(ok(admin.call("backupSnapshot", "id", snapshot), "backupSnapshot")
                .get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
    }

    private static long count(String query, Object... args) throws Exception {
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Timestamp backupAttempted(String uuid) throws Exception {
        try (Connection c = cloud.db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT backup_attempted FROM snapshots WHERE uuid = ?")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no snapshot " + uuid);
                return rs.getTimestamp(1);
            }
        }
    }

    // --- helpers ---

    private static String snapshot(String volume) throws Exception {
        JsonNode job = admin.awaitJob(ok(admin.call("createSnapshot", "volumeid", volume), "createSnapshot")
                .get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        return job.get("jobresult").get("snapshot").get("id").asText();
    }

    /** The snapshot row as a dead server leaves it: in {@code state}, made an hour ago, its job long over. */
    private static void stageSnapshot(String uuid, String state) throws Exception {
        Timestamp hourAgo = Timestamp.from(Instant.now().minus(Duration.ofHours(1)));
        sql("UPDATE snapshots SET status = '" + state + "', created = ? WHERE uuid = ?", hourAgo, uuid);
        sql("UPDATE async_job SET last_updated = ?, created = ? WHERE instance_id = ?", hourAgo, hourAgo, uuid);
    }

    private static void sql(String statement, Object... args) throws Exception {
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static String snapshotState(String uuid) throws Exception {
        try (Connection c = cloud.db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM snapshots WHERE uuid = ?")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no snapshot " + uuid);
                return rs.getString(1);
            }
        }
    }

    private static List<String> rbdSnapshots(String image) throws Exception {
        List<String> names = new ArrayList<>();
        CephFixture.JSON.readTree(cluster.cli("rbd", "snap", "ls", "--format", "json", "--pool", cloud.ceph.pool(),
                image)).forEach(snap -> names.add(snap.get("name").asText()));
        return names;
    }

    private String createVolume(long sizeGb) throws Exception {
        ApiClient.Reply reply = admin.call("createVolume", "zoneid", cloud.zoneId, "diskofferingid", offering, "size",
                String.valueOf(sizeGb));
        String id = ok(reply, "createVolume").get("id").asText();
        volumeIds.add(id);
        JsonNode job = admin.awaitJob(ok(reply, "createVolume").get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        return id;
    }

    /** Leaves the volume's row as a server that died in the middle of an operation would. */
    private static void stage(String uuid, String state, long size) throws Exception {
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE volumes SET state = ?, size = ?, updated = ? WHERE uuid = ?")) {
            ps.setString(1, state);
            ps.setLong(2, size);
            ps.setTimestamp(3, Timestamp.from(Instant.now().minus(Duration.ofHours(1))));
            ps.setString(4, uuid);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static String rowState(String uuid) throws Exception {
        try (Connection c = cloud.db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT state FROM volumes WHERE uuid = ?")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row for volume " + uuid);
                return rs.getString(1);
            }
        }
    }

    private static JsonNode volume(String id) throws Exception {
        return listVolumes("id", id).get(0);
    }

    private static List<JsonNode> listVolumes(String... params) throws Exception {
        JsonNode response = ok(admin.call("listVolumes", params), "listVolumes");
        List<JsonNode> volumes = new ArrayList<>();
        if (response.has("volume")) {
            response.get("volume").forEach(volumes::add);
        }
        return volumes;
    }

    private static List<String> images() throws Exception {
        List<String> names = new ArrayList<>();
        CephFixture.JSON.readTree(cluster.cli("rbd", "ls", "--format", "json", "--pool", cloud.ceph.pool()))
                .forEach(name -> names.add(name.asText()));
        return names;
    }

    private static List<String> trash() throws Exception {
        List<String> names = new ArrayList<>();
        CephFixture.JSON.readTree(cluster.cli("rbd", "trash", "ls", "--format", "json", "--pool", cloud.ceph.pool()))
                .forEach(entry -> names.add(entry.get("name").asText()));
        return names;
    }

    private static void removeFromTrash(String name) throws Exception {
        for (JsonNode entry : CephFixture.JSON.readTree(cluster.cli("rbd", "trash", "ls", "--format", "json", "--pool",
                cloud.ceph.pool()))) {
            if (entry.get("name").asText().equals(name)) {
                cluster.cli("rbd", "trash", "rm", "--pool", cloud.ceph.pool(), "--force", entry.get("id").asText());
            }
        }
    }
}
