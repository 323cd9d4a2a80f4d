package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.ceph.rbd.Rbd;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.server.ApiClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volume snapshots end to end: the API, the RBD plugin, this host's agent and the real Ceph
 * cluster. Content is written and checked with rados-java as client.admin behind the agent's back;
 * RBD snapshots are checked by name on the image.
 */
class SnapshotsIT {

    private static final long GB = 1L << 30;

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static CephFixture cluster;
    static RadosSession session;
    static IoCTX io;
    static String offering;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        cluster = cloud.cluster;
        session = cloud.cephAdmin();
        io = session.ioCtx();
        cloud.createdRbdPool("snap-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (JsonNode snapshot : list(admin, "listSnapshots", "snapshot", "listall", "true")) {
            admin.awaitJob(ok(admin.call("deleteSnapshot", "id", snapshot.get("id").asText()), "deleteSnapshot")
                    .get("jobid").asText());
        }
        for (JsonNode volume : list(admin, "listVolumes", "volume", "listall", "true")) {
            admin.call("deleteVolume", "id", volume.get("id").asText());
        }
    }

    @Test
    void aSnapshotIsAnRbdSnapshotNamedByItsIdAndListedAsCloudStackShowsIt() throws Exception {
        JsonNode volume = createVolume("name", "data1", "size", "1");
        String volumeId = volume.get("id").asText();
        ApiClient.Reply reply = admin.call("createSnapshot", "volumeid", volumeId);
        JsonNode started = ok(reply, "createSnapshot");
        JsonNode job = admin.awaitJob(started.get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        assertEquals("Snapshot", job.get("jobinstancetype").asText());
        JsonNode snapshot = job.get("jobresult").get("snapshot");
        String id = snapshot.get("id").asText();
        assertEquals(started.get("id").asText(), id);
        assertEquals("CreatedOnPrimary", snapshot.get("state").asText());
        assertEquals("MANUAL", snapshot.get("snapshottype").asText());
        assertEquals("MANUAL", snapshot.get("intervaltype").asText());
        assertEquals(volumeId, snapshot.get("volumeid").asText());
        assertEquals("data1", snapshot.get("volumename").asText());
        assertEquals("DATADISK", snapshot.get("volumetype").asText());
        assertEquals(GB, snapshot.get("virtualsize").asLong());
        assertEquals(0, snapshot.get("physicalsize").asLong(), "nothing on secondary storage");
        assertTrue(snapshot.get("revertable").asBoolean());
        assertEquals(cloud.zoneId, snapshot.get("zoneid").asText());
        assertEquals("admin", snapshot.get("account").asText());
        assertTrue(snapshot.get("name").asText().matches("detached_data1_\\d{14}"), snapshot.toString());

        assertEquals(List.of(id), RbdData.snapshots(io, volumeId));
        assertEquals("Ready", volumeState(volumeId), "the volume is Ready again");
        assertEquals(List.of(id), ids(list(admin, "listSnapshots", "snapshot", "volumeid", volumeId)));
        assertEquals(List.of(id), ids(list(admin, "listSnapshots", "snapshot", "id", id)));
        assertEquals(List.of(), ids(list(admin, "listSnapshots", "snapshot", "snapshottype", "RECURRING")));
        assertEquals(List.of(), ids(list(admin, "listSnapshots", "snapshot", "snapshottype", "WEEKLY")));
        assertEquals(431, admin.call("listSnapshots", "snapshottype", "YEARLY").status());
    }

    @Test
    void revertPutsBackTheContentAndSizeOfTheSnapshot() throws Exception {
        String volumeId = createVolume("size", "1").get("id").asText();
        RbdData.write(io, volumeId, 0, RbdData.bytes(1 << 20, 1));
        String before = RbdData.sha256(io, volumeId, null);
        String snapshotId = snapshot(volumeId);
        RbdData.write(io, volumeId, 0, RbdData.bytes(1 << 20, 2));
        JsonNode grown = admin.awaitJob(ok(admin.call("resizeVolume", "id", volumeId, "size", "2"), "resizeVolume")
                .get("jobid").asText());
        assertEquals(1, grown.get("jobstatus").asInt(), grown.toString());
        assertFalse(before.equals(RbdData.sha256(io, volumeId, null)));

        JsonNode job = admin.awaitJob(ok(admin.call("revertSnapshot", "id", snapshotId), "revertSnapshot")
                .get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        assertEquals(snapshotId, job.get("jobresult").get("snapshot").get("id").asText());
        assertEquals(before, RbdData.sha256(io, volumeId, null), "the content as at the snapshot");
        JsonNode volume = list(admin, "listVolumes", "volume", "id", volumeId).get(0);
        assertEquals(GB, volume.get("size").asLong(), "and its size");
        assertEquals("Ready", volume.get("state").asText());
    }

    @Test
    void aVolumeMadeFromASnapshotHasItsContentAndOutlivesIt() throws Exception {
        String volumeId = createVolume("size", "1").get("id").asText();
        RbdData.write(io, volumeId, 5 << 20, RbdData.bytes(300_000, 3));
        String atSnapshot = RbdData.sha256(io, volumeId, null);
        String snapshotId = snapshot(volumeId);
        RbdData.write(io, volumeId, 5 << 20, RbdData.bytes(300_000, 4));

        JsonNode restored = createVolume("snapshotid", snapshotId, "name", "restored");
        String restoredId = restored.get("id").asText();
        assertEquals(GB, restored.get("size").asLong());
        assertEquals(list(admin, "listVolumes", "volume", "id", volumeId).get(0).get("storageid").asText(),
                restored.get("storageid").asText(), "on the snapshot's pool");
        assertEquals(atSnapshot, RbdData.sha256(io, restoredId, null));

        // A clone of the snapshot (VolumeClonesIT): once flattened, it no longer depends on it.
        JsonNode flattened = admin.awaitJob(ok(admin.call("flattenVolume", "id", restoredId), "flattenVolume")
                .get("jobid").asText());
        assertEquals(1, flattened.get("jobstatus").asInt(), flattened.toString());
        admin.awaitJob(ok(admin.call("deleteSnapshot", "id", snapshotId), "deleteSnapshot").get("jobid").asText());
        assertEquals(List.of(), RbdData.snapshots(io, volumeId), "deleted on Ceph: the new volume does not depend on it");
        assertEquals(atSnapshot, RbdData.sha256(io, restoredId, null));
        assertEquals(List.of(), ids(list(admin, "listSnapshots", "snapshot", "volumeid", volumeId)));
    }

    @Test
    void badRequestsAreRefusedWithReasonsAndChangeNothing() throws Exception {
        String volumeId = createVolume("size", "1").get("id").asText();
        ApiClient.Reply location = admin.call("createSnapshot", "volumeid", volumeId, "locationtype", "secondary");
        assertEquals(431, location.status());
        assertTrue(location.body().contains("locationtype"), location.body());
        assertEquals(431, admin.call("createSnapshot", "volumeid", "00000000-0000-0000-0000-000000000000").status());
        assertEquals(431, admin.call("revertSnapshot", "id", "00000000-0000-0000-0000-000000000000").status());
        assertEquals(List.of(), RbdData.snapshots(io, volumeId));

        String snapshotId = snapshot(volumeId);
        ok(admin.call("createAccount", "username", "eve", "password", "eve-password", "email", "eve@example.com",
                "firstname", "Eve", "lastname", "E"), "createAccount");
        ApiClient eve = ApiClient.login(cloud.server.baseUrl(), "eve", "eve-password");
        assertEquals(531, eve.call("deleteSnapshot", "id", snapshotId).status());
        assertEquals(531, eve.call("createSnapshot", "volumeid", volumeId).status());
        assertEquals(531, eve.call("createVolume", "snapshotid", snapshotId).status());
        assertEquals(List.of(snapshotId), RbdData.snapshots(io, volumeId), "eve's calls changed nothing on Ceph");
        assertEquals(List.of(), ids(list(eve, "listSnapshots", "snapshot", "listall", "true")));

        JsonNode deleted = admin.awaitJob(ok(admin.call("deleteSnapshot", "id", snapshotId), "deleteSnapshot")
                .get("jobid").asText());
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
        ApiClient.Reply again = admin.call("deleteSnapshot", "id", snapshotId);
        assertEquals(431, again.status(), again.body());
        assertEquals(431, admin.call("createVolume", "snapshotid", snapshotId).status());
    }

    @Test
    void deletingAVolumeTakesItsSnapshotsOnPrimaryWithIt() throws Exception {
        String volumeId = createVolume("size", "1").get("id").asText();
        String first = snapshot(volumeId);
        String second = snapshot(volumeId);
        assertEquals(List.of(first, second), RbdData.snapshots(io, volumeId));
        ok(admin.call("deleteVolume", "id", volumeId), "deleteVolume");
        List<String> listed = ids(list(admin, "listSnapshots", "snapshot", "listall", "true"));
        assertFalse(listed.contains(first) || listed.contains(second), listed.toString());
        assertEquals(List.of("Destroyed", "Destroyed"), List.of(snapshotStatus(first), snapshotStatus(second)));
        assertFalse(List.of(new Rbd(io).list()).contains(volumeId));
    }

    // --- helpers ---

    private static JsonNode createVolume(String... params) throws Exception {
        List<String> all = new ArrayList<>(List.of(params));
        if (!all.contains("snapshotid")) {
            all.addAll(List.of("zoneid", cloud.zoneId, "diskofferingid", offering));
        }
        JsonNode job = admin.awaitJob(ok(admin.call("createVolume", all.toArray(String[]::new)), "createVolume")
                .get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        return job.get("jobresult").get("volume");
    }

    private static String snapshot(String volumeId) throws Exception {
        JsonNode job = admin.awaitJob(ok(admin.call("createSnapshot", "volumeid", volumeId), "createSnapshot")
                .get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        return job.get("jobresult").get("snapshot").get("id").asText();
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(i -> i.get("id").asText()).toList();
    }

    private static String volumeState(String volumeId) throws Exception {
        return list(admin, "listVolumes", "volume", "id", volumeId).get(0).get("state").asText();
    }

    private static String snapshotStatus(String uuid) throws Exception {
        try (Connection c = cloud.db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM snapshots WHERE uuid = ?")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }
}
