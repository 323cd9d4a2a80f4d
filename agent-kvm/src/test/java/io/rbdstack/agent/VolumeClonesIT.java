package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdImage;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.ceph.CephException;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.ceph.RbdSnapshots;
import io.rbdstack.agent.fixtures.BackupCalls;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.server.ApiClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes made from snapshots are copy-on-write RBD clones (issue 14), end to end: the API, the RBD plugin, this
 * host's agent and the real Ceph cluster. What Ceph holds (parents, snapshots, content) is read with rados-java
 * as client.admin behind the agent's back.
 */
class VolumeClonesIT {

    private static final long GB = 1L << 30;
    private static final int WRITTEN = 32 << 20;

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static RadosSession session;
    static IoCTX io;
    static String offering;
    static String cephPool;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        session = cloud.cephAdmin();
        io = session.ioCtx();
        cephPool = session.pool().cephPool();
        cloud.createdRbdPool("clone-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        // The memstore OSD has a few GiB; 8 GiB volumes and their clones are sparse.
        setting("storage.overprovisioning.factor", "100");
        setting("storage.cleanup.interval", "1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    /** Clones before the volumes they were cloned from (newest first), then the snapshots. */
    @AfterEach
    void cleanUp() throws Exception {
        setting("rbd.max.clone.depth", "5");
        setting("storage.volume.deferred.delete.seconds", "0");
        List<JsonNode> volumes = new ArrayList<>(list(admin, "listVolumes", "volume", "listall", "true"));
        java.util.Collections.reverse(volumes);
        for (JsonNode volume : volumes) {
            admin.call("deleteVolume", "id", volume.get("id").asText());
        }
        for (JsonNode snapshot : list(admin, "listSnapshots", "snapshot", "listall", "true")) {
            admin.awaitJob(ok(admin.call("deleteSnapshot", "id", snapshot.get("id").asText()), "deleteSnapshot")
                    .get("jobid").asText());
        }
    }

    @Test
    void aVolumeFromASnapshotIsAnUnflattenedCloneAndTakesAboutAsLongAt8GiBAsAt1GiB() throws Exception {
        long[] millis = new long[2];
        int i = 0;
        for (int gb : new int[] {1, 8}) {
            String source = createVolume("size", String.valueOf(gb)).get("id").asText();
            RbdData.write(io, source, (gb * GB) / 2, RbdData.bytes(WRITTEN, gb));
            String snapshot = snapshot(source);

            long t0 = System.nanoTime();
            JsonNode clone = createVolume("snapshotid", snapshot, "name", "clone-" + gb);
            millis[i++] = (System.nanoTime() - t0) / 1_000_000;
            String cloneId = clone.get("id").asText();

            assertEquals(gb * GB, clone.get("size").asLong());
            assertEquals("Ready", clone.get("state").asText());
            assertEquals(Optional.of(cephPool + "/" + source + "@" + snapshot), images().parent(cloneId),
                    "a clone of the snapshot, not flattened (a flatten removes the parent)");
            assertTrue(isProtected(source, snapshot), "clones need the snapshot protected");
            assertEquals(snapshotId(snapshot), parentSnapshotId(cloneId), "the database knows what it depends on");
            assertFalse(flattenJobOf(cloneId).isPresent(), "no flatten within rbd.max.clone.depth");
            // What makes its time independent of the size: not one byte of the snapshot was copied.
            assertEquals(0, RbdData.dataObjects(io, cloneId), "the clone holds no data object of its own");
            assertTrue(RbdData.dataObjects(io, source) > 0, "the count sees the source's");
            if (gb == 1) {
                assertEquals(RbdData.sha256(io, source, snapshot), RbdData.sha256(io, cloneId, null),
                        "the snapshot's content");
            }
        }
        // The old way's cost, for the figures: the copy a flatten of the 8 GiB clone makes.
        String clone8 = list(admin, "listVolumes", "volume", "name", "clone-8").get(0).get("id").asText();
        long t0 = System.nanoTime();
        JsonNode flattening = ok(admin.call("flattenVolume", "id", clone8), "flattenVolume");
        // Its image is open while it is flattened (hundreds of ms here): a delete would lose its snapshots, then fail.
        ApiClient.Reply busy = admin.call("deleteVolume", "id", clone8);
        JsonNode flattened = awaitJob(flattening);
        long flattenMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(431, busy.status(), busy.body());
        assertTrue(busy.body().contains("is being flattened"), busy.body());
        assertEquals(1, flattened.get("jobstatus").asInt(), flattened.toString());
        System.out.printf("createVolume snapshotid= (RBD clone, %d MiB written in the source): 1 GiB %d ms, 8 GiB %d ms;"
                + " flattening the 8 GiB clone (what every such volume cost before) %d ms%n", WRITTEN >> 20, millis[0],
                millis[1], flattenMillis);
    }

    @Test
    void aCloneDeeperThanTheSettingIsUsableAtOnceAndFlattenedInTheBackground() throws Exception {
        setting("rbd.max.clone.depth", "1");
        String source = createVolume("size", "1").get("id").asText();
        RbdData.write(io, source, 0, RbdData.bytes(1 << 20, 7));
        String first = snapshot(source);
        String depth1 = createVolume("snapshotid", first, "name", "depth1").get("id").asText();
        assertFalse(flattenJobOf(depth1).isPresent(), "depth 1 is within the setting");
        RbdData.write(io, depth1, 4 << 20, RbdData.bytes(1 << 20, 8));
        String second = snapshot(depth1);

        JsonNode depth2 = createVolume("snapshotid", second, "name", "depth2");
        String depth2Id = depth2.get("id").asText();
        assertEquals("Ready", depth2.get("state").asText(), "usable while it is flattened");
        JsonNode job = flattenJobOf(depth2Id).orElseThrow(() -> new AssertionError("no flattenVolume job for depth2"));
        JsonNode done = admin.awaitJob(job.get("jobid").asText());
        assertEquals(1, done.get("jobstatus").asInt(), done.toString());
        assertEquals(depth2Id, done.get("jobresult").get("volume").get("id").asText());
        assertEquals(Optional.empty(), images().parent(depth2Id), "flattened");
        assertNull(parentSnapshotId(depth2Id));
        assertEquals(RbdData.sha256(io, depth1, second), RbdData.sha256(io, depth2Id, null));
        assertTrue(hasEvent("VOLUME.FLATTEN", depth2Id), "the flatten is in the audit trail");

        // It no longer pins the snapshot it was made from.
        JsonNode deleted = admin.awaitJob(ok(admin.call("deleteSnapshot", "id", second), "deleteSnapshot")
                .get("jobid").asText());
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
        assertEquals(Optional.of(cephPool + "/" + source + "@" + first), images().parent(depth1), "depth1 untouched");

        setting("rbd.max.clone.depth", "0");
        String flatAtOnce = createVolume("snapshotid", first, "name", "depth0").get("id").asText();
        JsonNode flat = admin.awaitJob(flattenJobOf(flatAtOnce).orElseThrow(() ->
                new AssertionError("0 flattens every clone")).get("jobid").asText());
        assertEquals(1, flat.get("jobstatus").asInt(), flat.toString());
        assertEquals(Optional.empty(), images().parent(flatAtOnce));
    }

    @Test
    void aSnapshotAndAVolumeWithClonesAreRefusedNamingThemUntilFlattenedOnRequest() throws Exception {
        String source = createVolume("size", "1", "name", "parent").get("id").asText();
        RbdData.write(io, source, 0, RbdData.bytes(1 << 20, 9));
        String snapshot = snapshot(source);
        String clone = createVolume("snapshotid", snapshot, "name", "child").get("id").asText();

        ApiClient.Reply refused = admin.call("deleteSnapshot", "id", snapshot);
        assertEquals(431, refused.status(), refused.body());
        assertTrue(refused.body().contains("child (" + clone + ")"), refused.body());
        assertTrue(refused.body().contains("flattenVolume"), refused.body());
        assertEquals("CreatedOnPrimary", snapshotStatus(snapshot), "nothing changed");
        assertEquals(List.of(snapshot), RbdData.snapshots(io, source));
        assertTrue(isProtected(source, snapshot));

        ApiClient.Reply volumeRefused = admin.call("deleteVolume", "id", source);
        assertEquals(431, volumeRefused.status(), volumeRefused.body());
        assertTrue(volumeRefused.body().contains("child (" + clone + ")"), volumeRefused.body());
        assertEquals("Ready", list(admin, "listVolumes", "volume", "id", source).get(0).get("state").asText());
        assertEquals(List.of(snapshot), RbdData.snapshots(io, source), "the volume keeps its snapshot");

        ApiClient.Reply notAClone = admin.call("flattenVolume", "id", source);
        assertEquals(431, notAClone.status(), notAClone.body());
        assertTrue(notAClone.body().contains("nothing to flatten"), notAClone.body());

        JsonNode flattened = awaitJob(ok(admin.call("flattenVolume", "id", clone), "flattenVolume"));
        assertEquals(1, flattened.get("jobstatus").asInt(), flattened.toString());
        assertEquals(Optional.empty(), images().parent(clone));
        assertEquals(RbdData.sha256(io, source, snapshot), RbdData.sha256(io, clone, null));

        JsonNode deleted = admin.awaitJob(ok(admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot")
                .get("jobid").asText());
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
        assertEquals(List.of(), RbdData.snapshots(io, source));
        ok(admin.call("deleteVolume", "id", source), "deleteVolume");
    }

    @Test
    void aDeletedCloneWaitingInTheTrashStillPinsItsSnapshotUntilItIsPurged() throws Exception {
        String source = createVolume("size", "1").get("id").asText();
        String snapshot = snapshot(source);
        String clone = createVolume("snapshotid", snapshot, "name", "trashed").get("id").asText();
        setting("storage.volume.deferred.delete.seconds", "3");
        ok(admin.call("deleteVolume", "id", clone), "deleteVolume");

        ApiClient.Reply refused = admin.call("deleteSnapshot", "id", snapshot);
        assertEquals(431, refused.status(), refused.body());
        assertTrue(refused.body().contains("trashed (" + clone + "), deleted but kept in the storage's trash"),
                refused.body());
        assertEquals("CreatedOnPrimary", snapshotStatus(snapshot));
        assertTrue(isProtected(source, snapshot), "the clone in the trash still needs it");

        Deadline.await("the trashed clone is purged", Duration.ofSeconds(30),
                () -> "Expunged".equals(column("SELECT state FROM volumes WHERE uuid = ?", clone, String.class)));
        JsonNode deleted = admin.awaitJob(ok(admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot")
                .get("jobid").asText());
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
        assertEquals(List.of(), RbdData.snapshots(io, source));
    }

    @Test
    void aSnapshotWithoutClonesStillDeletesAsBefore() throws Exception {
        String volume = createVolume("size", "1").get("id").asText();
        String snapshot = snapshot(volume);
        JsonNode deleted = admin.awaitJob(ok(admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot")
                .get("jobid").asText());
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
        assertEquals(List.of(), RbdData.snapshots(io, volume));
        assertEquals("Destroyed", snapshotStatus(snapshot));
    }

    @Test
    void revertAndResizeLeaveClonesAndTheirParentsIntact() throws Exception {
        String source = createVolume("size", "1").get("id").asText();
        RbdData.write(io, source, 0, RbdData.bytes(1 << 20, 10));
        String snapshot = snapshot(source);
        String atSnapshot = RbdData.sha256(io, source, snapshot);
        String clone = createVolume("snapshotid", snapshot).get("id").asText();
        RbdData.write(io, source, 0, RbdData.bytes(1 << 20, 11));

        JsonNode reverted = awaitJob(ok(admin.call("revertSnapshot", "id", snapshot), "revertSnapshot"));
        assertEquals(1, reverted.get("jobstatus").asInt(), reverted.toString());
        assertEquals(atSnapshot, RbdData.sha256(io, source, null), "the parent is back at its snapshot");
        assertEquals(atSnapshot, RbdData.sha256(io, clone, null), "the clone never changed");

        JsonNode grownClone = awaitJob(ok(admin.call("resizeVolume", "id", clone, "size", "2"), "resizeVolume"));
        assertEquals(1, grownClone.get("jobstatus").asInt(), grownClone.toString());
        assertEquals(2 * GB, grownClone.get("jobresult").get("volume").get("size").asLong());
        assertEquals(Optional.of(cephPool + "/" + source + "@" + snapshot), images().parent(clone),
                "still a clone after growing");
        JsonNode grownParent = awaitJob(ok(admin.call("resizeVolume", "id", source, "size", "2"), "resizeVolume"));
        assertEquals(1, grownParent.get("jobstatus").asInt(), grownParent.toString());
        String cloneNow = RbdData.sha256(io, clone, null);
        assertTrue(cloneNow.startsWith(2 * GB + ":"), cloneNow);
    }

    /** On the agent: an image whose snapshot has a clone loses none of its snapshots, not even those before it. */
    @Test
    void anImageWhoseSnapshotHasAClonesKeepsAllItsSnapshots() throws Exception {
        String image = "clones-it-" + UUID.randomUUID();
        String clone = image + "-clone";
        RbdImages images = images();
        images.create(image, 64 << 20);
        try {
            RbdSnapshots snapshots = new RbdSnapshots(session);
            snapshots.create(image, "a");
            snapshots.create(image, "b");
            images.cloneLinked(image, "b", clone);
            CephException refused = assertThrows(CephException.class, () -> images.delete(image));
            assertEquals(16, Math.abs(refused.returnCode()), "EBUSY: " + refused.getMessage());
            assertTrue(refused.getMessage().contains(image + "@b <- " + cephPool + "/" + clone), refused.getMessage());
            assertEquals(List.of("a", "b"), RbdData.snapshots(io, image), "no snapshot removed");
            assertTrue(images.delete(clone));
            assertTrue(images.delete(image), "deletes once the clone is gone");
        } finally {
            images.delete(clone);
            images.delete(image);
        }
    }

    // --- helpers ---

    private static RbdImages images() {
        return new RbdImages(session);
    }

    private static void setting(String name, String value) throws Exception {
        ok(admin.call("updateConfiguration", "name", name, "value", value), "updateConfiguration");
    }

    /** createVolume's job, which must succeed: the new volume. */
    private static JsonNode createVolume(String... params) throws Exception {
        List<String> all = new ArrayList<>(List.of(params));
        if (!all.contains("snapshotid")) {
            all.addAll(List.of("zoneid", cloud.zoneId, "diskofferingid", offering));
        }
        return awaitOk(admin, admin.call("createVolume", all.toArray(String[]::new)), "createVolume").get("volume");
    }

    private static JsonNode awaitJob(JsonNode started) throws Exception {
        return admin.awaitJob(started.get("jobid").asText());
    }

    private static String snapshot(String volumeId) throws Exception {
        return new BackupCalls(admin).snapshot(volumeId);
    }

    /** The flattenVolume job of the volume, started by the server itself. */
    private static Optional<JsonNode> flattenJobOf(String volumeId) throws Exception {
        return list(admin, "listAsyncJobs", "asyncjobs", "listall", "true").stream()
                .filter(j -> j.path("cmd").asText().equals("flattenVolume")
                        && j.path("jobinstanceid").asText().equals(volumeId)).findFirst();
    }

    private static boolean isProtected(String image, String snapshot) throws Exception {
        Rbd rbd = new Rbd(io);
        RbdImage opened = rbd.openReadOnly(image);
        try {
            return opened.snapIsProtected(snapshot);
        } finally {
            rbd.close(opened);
        }
    }

    private static boolean hasEvent(String type, String volumeId) throws Exception {
        return !list(admin, "listEvents", "event", "listall", "true", "type", type, "resourceid", volumeId).isEmpty();
    }

    private static Long snapshotId(String uuid) throws Exception {
        return (Long) column("SELECT id FROM snapshots WHERE uuid = ?", uuid, Long.class);
    }

    private static Long parentSnapshotId(String volumeUuid) throws Exception {
        return (Long) column("SELECT parent_snapshot_id FROM volumes WHERE uuid = ?", volumeUuid, Long.class);
    }

    private static String snapshotStatus(String uuid) throws Exception {
        return (String) column("SELECT status FROM snapshots WHERE uuid = ?", uuid, String.class);
    }

    /** The one row's first column, read straight from the database. */
    private static Object column(String sql, String arg, Class<?> type) throws Exception {
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql + " " + arg);
                return rs.getObject(1, type);
            }
        }
    }
}
