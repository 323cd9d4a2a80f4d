package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.ApiLeftovers;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.TestCleanup;
import io.rbdstack.server.ApiClient;
import io.rbdstack.testing.CephKeyring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail, alerts and job progress end to end, with the real agent and Ceph: the events of a
 * storage flow, an alert for a host that disconnects, pools over a disable threshold or refused by Ceph
 * taken out of placement with an alert, and a backup of a fully written volume reporting its progress.
 */
class EventsAlertsAndProgressIT {

    private static final long GB = 1L << 30;

    @TempDir
    static Path dir;
    @TempDir
    static Path store;
    static OneHostCloud cloud;
    static ApiClient admin;
    static IoCTX io;
    static String offering;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        io = cloud.cephAdmin().ioCtx();
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        // Pools are judged at every capacity refresh: once a second here.
        ok(admin.call("updateConfiguration", "name", "storage.stats.interval", "value", "1000"), "updateConfiguration");
    }

    /** What this test registered; undone after it, also when it failed (a store left would take the next backups). */
    private final TestCleanup cleanup = new TestCleanup();

    @AfterEach
    void undoWhatTheTestSetUp() throws Exception {
        cleanup.run();
    }

    /**
     * A directory image store of the test's, deleted by its clean-up after the snapshots and volumes registered later
     * (a store that still holds backups cannot be deleted).
     */
    private String directoryStore(String name) throws Exception {
        String id = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", name, "url",
                Files.createDirectories(store.resolve(name)).toUri().toString(), "zoneid", cloud.zoneId),
                "addImageStore").get("imagestore").get("id").asText();
        cleanup.add(ApiLeftovers.imageStore(admin, id));
        return id;
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void theEventsOfAStorageFlowNameTheirResourcesAndPairEachJobsStartWithItsEnd() throws Exception {
        String pool = cloud.createdRbdPool("events-pool", cloud.ceph.limitedUser(), "zone", "tags", "events")
                .get("id").asText();
        String tagged = ok(admin.call("createDiskOffering", "name", "events", "customized", "true", "tags", "events"),
                "createDiskOffering").get("diskoffering").get("id").asText();
        String imageStore = directoryStore("events-store");
        String volume = createVolume("name", "audited", "zoneid", cloud.zoneId, "diskofferingid", tagged, "size", "1");
        cleanup.add(ApiLeftovers.volume(admin, volume));
        String snapshot = awaitOk(admin, admin.call("createSnapshot", "volumeid", volume), "createSnapshot")
                .get("snapshot").get("id").asText();
        cleanup.add(ApiLeftovers.snapshot(admin, snapshot));
        assertEquals(imageStore, awaitOk(admin, admin.call("backupSnapshot", "id", snapshot), "backupSnapshot")
                .get("snapshot").get("datastoreid").asText(), "backed up to the test's store");
        awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot");
        ok(admin.call("deleteVolume", "id", volume), "deleteVolume");
        ok(admin.call("deleteImageStore", "id", imageStore), "deleteImageStore");
        cloud.deletePool(pool);

        // The calls answered at once: one Completed event each, about their resource.
        assertCall("STORAGE.POOL.CREATE", "StoragePool", pool);
        assertCall("IMAGE.STORE.CREATE", "ImageStore", imageStore);
        assertCall("VOLUME.DELETE", "Volume", volume);
        assertCall("IMAGE.STORE.DELETE", "ImageStore", imageStore);
        assertCall("STORAGE.POOL.DELETE", "StoragePool", pool);
        // The jobs: Scheduled, Started and Completed, the last two under the first.
        assertJob("VOLUME.CREATE", "Volume", volume);
        assertJob("SNAPSHOT.CREATE", "Snapshot", snapshot);
        assertJob("SNAPSHOT.BACKUP", "Snapshot", snapshot);
        assertJob("SNAPSHOT.DELETE", "Snapshot", snapshot);

        // A user's own calls are its events; it sees no one else's.
        ok(admin.call("createAccount", "username", "dana", "password", "dana-pw", "email", "dana@example.com",
                "firstname", "Dana", "lastname", "D"), "createAccount");
        ApiClient dana = ApiClient.login(cloud.server.baseUrl(), "dana", "dana-pw");
        cloud.createdRbdPool("dana-pool", cloud.ceph.limitedUser(), "zone", "tags", "dana");
        String danaOffering = ok(admin.call("createDiskOffering", "name", "dana", "customized", "true", "tags",
                "dana"), "createDiskOffering").get("diskoffering").get("id").asText();
        JsonNode job = dana.awaitJob(ok(dana.call("createVolume", "name", "hers", "zoneid", cloud.zoneId,
                "diskofferingid", danaOffering, "size", "1"), "createVolume").get("jobid").asText());
        String hers = job.get("jobresult").get("volume").get("id").asText();
        // Her login first (USER.LOGIN, about her user), then her volume's job, newest first.
        List<JsonNode> seen = list(dana, "listEvents", "event", "listall", "true");
        assertEquals(List.of("VOLUME.CREATE", "USER.LOGIN"), seen.stream().map(e -> e.get("type").asText()).distinct()
                .toList());
        assertTrue(seen.stream().allMatch(e -> e.get("account").asText().equals("dana")
                && (e.get("type").asText().equals("USER.LOGIN") ? e.get("resourcetype").asText().equals("User")
                : e.get("resourceid").asText().equals(hers))), seen.toString());
        assertEquals(3, seen.stream().filter(e -> e.get("type").asText().equals("VOLUME.CREATE")).count());
        assertEquals(3, list(admin, "listEvents", "event", "listall", "true", "resourceid", hers).size(),
                "the admin sees them with listall");
        assertTrue(list(admin, "listEvents", "event", "resourceid", hers).isEmpty(), "and without, its own only");
        ok(dana.call("deleteVolume", "id", hers), "deleteVolume");
    }

    @Test
    void aHostThatDisconnectsRaisesOneAlertUntilItIsBack() throws Exception {
        cloud.stopAgent();
        Deadline.await("an alert for the host", Duration.ofSeconds(10), () -> !hostAlerts().isEmpty());
        Thread.sleep(3_000); // heartbeats and checks go on: still one alert for the one outage
        List<JsonNode> alerts = hostAlerts();
        assertEquals(1, alerts.size(), alerts.toString());
        JsonNode alert = alerts.get(0);
        assertEquals(7, alert.get("type").asInt());
        assertEquals("ALERT.COMPUTE.HOST", alert.get("name").asText());
        assertTrue(alert.get("description").asText().contains("is Disconnected"), alert.toString());
        assertTrue(alert.has("sent"), alert.toString());
        cloud.startAgent();
        assertEquals(1, hostAlerts().size());

        String id = alert.get("id").asText();
        ok(admin.call("archiveAlerts", "ids", id), "archiveAlerts");
        assertTrue(hostAlerts().isEmpty(), "archived alerts leave the list");
        assertEquals(1, list(admin, "listAlerts", "alert", "id", id).size());
        ok(admin.call("deleteAlerts", "ids", id), "deleteAlerts");
        assertEquals(431, admin.call("listAlerts", "id", id).status(), "deleted");
    }

    @Test
    void aPoolOverAThresholdTakesNoNewVolumeAndRaisesOneAlert() throws Exception {
        String pool = cloud.createdRbdPool("tight-pool", cloud.ceph.limitedUser(), "zone", "tags", "tight")
                .get("id").asText();
        String tight = ok(admin.call("createDiskOffering", "name", "tight", "customized", "true", "tags", "tight"),
                "createDiskOffering").get("diskoffering").get("id").asText();
        String first = createVolume("name", "first", "zoneid", cloud.zoneId, "diskofferingid", tight, "size", "1");
        JsonNode row = list(admin, "listStoragePools", "storagepool", "id", pool).get(0);
        long allowed = row.get("disksizetotal").asLong() * 2; // storage.overprovisioning.factor 2
        try {
            // One more 1 GiB volume would take the allocated share over 1 %.
            set("pool.storage.allocated.capacity.disablethreshold", "0.01");
            ApiClient.Reply refused = admin.call("createVolume", "name", "second", "zoneid", cloud.zoneId,
                    "diskofferingid", tight, "size", "1");
            assertEquals(533, refused.status(), refused.body());
            String share = new java.math.BigDecimal(2 * GB).divide(new java.math.BigDecimal(allowed), 6,
                    java.math.RoundingMode.HALF_UP).movePointRight(2).setScale(2, java.math.RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString();
            assertEquals("No primary storage pool in zone ceph-zone can take a volume of 1 GB (1073741824 bytes) with"
                    + " storage tags tight: pool tight-pool would be " + share + "% allocated, over"
                    + " pool.storage.allocated.capacity.disablethreshold 0.01",
                    refused.response("createVolume").get("errortext").asText());
            Deadline.await("an allocated-capacity alert for the pool", Duration.ofSeconds(10),
                    () -> alerts(3, "tight-pool").size() == 1);

            // Used capacity: what Ceph reports stored in the pool, once data is written.
            RbdData.write(io, first, 0, RbdData.bytes(4 << 20, 7));
            set("pool.storage.capacity.disablethreshold", "0.0000001");
            Deadline.await("a used-capacity alert for the pool", Duration.ofSeconds(15),
                    () -> alerts(2, "tight-pool").size() == 1);
            set("pool.storage.allocated.capacity.disablethreshold", "0.85");
            ApiClient.Reply full = admin.call("createVolume", "name", "third", "zoneid", cloud.zoneId,
                    "diskofferingid", tight, "size", "1");
            assertEquals(533, full.status(), full.body());
            assertTrue(full.body().contains("used, over pool.storage.capacity.disablethreshold 0.0000001"),
                    full.body());
            Thread.sleep(3_000); // three more refreshes see the same conditions: no more alerts
            assertEquals(1, alerts(2, "tight-pool").size());
            assertEquals(1, alerts(3, "tight-pool").size());
        } finally {
            set("pool.storage.allocated.capacity.disablethreshold", "0.85");
            set("pool.storage.capacity.disablethreshold", "0.85");
        }
        createVolume("name", "fits-again", "zoneid", cloud.zoneId, "diskofferingid", tight, "size", "1");
    }

    @Test
    void aPoolWhoseKeyCephRefusesGoesAlertWithTheReasonAndComesBack() throws Exception {
        CephFixture ceph = cloud.cluster;
        CephKeyring.CephUser user = ceph.createUser("mon", "profile rbd", "osd", "profile rbd pool=" + cloud.ceph.pool());
        String pool = cloud.createdRbdPool("refused-pool", user, "zone", "tags", "refused").get("id").asText();
        String refusedOffering = ok(admin.call("createDiskOffering", "name", "refused", "customized", "true", "tags",
                "refused"), "createDiskOffering").get("diskoffering").get("id").asText();
        String volume = createVolume("name", "on-refused", "zoneid", cloud.zoneId, "diskofferingid", refusedOffering,
                "size", "1");
        ceph.mon(CephFixture.command("auth del").put("entity", "client." + user.id()));
        Deadline.await("the pool is Alert", Duration.ofSeconds(20), () -> list(admin, "listStoragePools",
                "storagepool", "id", pool).get(0).get("state").asText().equals("Alert"));
        JsonNode row = list(admin, "listStoragePools", "storagepool", "id", pool).get(0);
        assertTrue(row.get("statereason").asText().contains("refused-pool"), row.toString());
        assertEquals(1, alerts(12, "refused-pool").size());
        ApiClient.Reply refused = admin.call("createVolume", "name", "nowhere", "zoneid", cloud.zoneId,
                "diskofferingid", refusedOffering, "size", "1");
        assertEquals(533, refused.status());
        assertTrue(refused.body().contains("(pool refused-pool is Alert: "), refused.body());
        // A snapshot there would time out: it is refused at once, saying why.
        ApiClient.Reply snapshot = admin.call("createSnapshot", "volumeid", volume);
        assertEquals(534, snapshot.status(), snapshot.body());
        assertTrue(snapshot.body().contains("Storage pool refused-pool of volume on-refused is Alert: "),
                snapshot.body());

        // The same user and key again: the next refresh puts the pool back.
        ceph.mon(CephFixture.command("auth import"), "[client." + user.id() + "]\n\tkey = " + user.key()
                + "\n\tcaps mon = \"profile rbd\"\n\tcaps osd = \"profile rbd pool=" + cloud.ceph.pool() + "\"\n");
        Deadline.await("the pool is Up again", Duration.ofSeconds(20), () -> list(admin, "listStoragePools",
                "storagepool", "id", pool).get(0).get("state").asText().equals("Up"));
        assertTrue(!list(admin, "listStoragePools", "storagepool", "id", pool).get(0).has("statereason"));
        ok(admin.call("deleteVolume", "id", volume), "deleteVolume");
        cloud.deletePool(pool);
    }

    @Test
    void aBackupOfAFullyWrittenVolumeReportsRisingProgressEndingAt100() throws Exception {
        cloud.createdRbdPool("progress-pool", cloud.ceph.limitedUser(), "zone", "tags", "progress");
        String progressOffering = ok(admin.call("createDiskOffering", "name", "progress", "customized", "true",
                "tags", "progress"), "createDiskOffering").get("diskoffering").get("id").asText();
        String progressStore = directoryStore("progress-store");
        String volume = createVolume("name", "full", "zoneid", cloud.zoneId, "diskofferingid", progressOffering,
                "size", "1");
        cleanup.add(ApiLeftovers.volume(admin, volume)); // before the 1 GiB is written: a failure there leaves none
        byte[] chunk = RbdData.bytes(4 << 20, 11);
        for (long offset = 0; offset < GB; offset += chunk.length) {
            RbdData.write(io, volume, offset, chunk);
        }
        String snapshot = awaitOk(admin, admin.call("createSnapshot", "volumeid", volume), "createSnapshot")
                .get("snapshot").get("id").asText();
        cleanup.add(ApiLeftovers.snapshot(admin, snapshot));
        String jobId = ok(admin.call("backupSnapshot", "id", snapshot), "backupSnapshot").get("jobid").asText();
        List<JsonNode> polls = new ArrayList<>();
        JsonNode job;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        do {
            Thread.sleep(100);
            job = ok(admin.call("queryAsyncJobResult", "jobid", jobId), "queryAsyncJobResult");
            polls.add(job);
        } while (job.get("jobstatus").asInt() == 0 && System.nanoTime() < deadline);
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());

        List<Integer> percents = polls.stream().map(p -> p.get("jobprocstatus").asInt()).toList();
        for (int i = 1; i < percents.size(); i++) {
            assertTrue(percents.get(i) >= percents.get(i - 1), "progress only rises: " + percents);
        }
        assertTrue(percents.stream().anyMatch(p -> p > 0 && p < 100), "seen on the way: " + distinct(percents));
        assertEquals(100, job.get("jobprocstatus").asInt(), job.toString());
        assertEquals(GB, job.get("bytestotal").asLong(), job.toString());
        assertEquals(GB, job.get("bytesdone").asLong(), job.toString());
        assertTrue(job.get("bytespersecond").asLong() > 0, job.toString());
        JsonNode listed = list(admin, "listAsyncJobs", "asyncjobs").stream()
                .filter(j -> j.get("jobid").asText().equals(jobId)).findFirst().orElseThrow();
        assertEquals(GB, listed.get("bytesdone").asLong(), "listAsyncJobs shows the same: " + listed);
        assertEquals(progressStore, job.get("jobresult").get("snapshot").get("datastoreid").asText(),
                "backed up to the test's store");
        System.out.println("Backup of a fully written 1 GiB volume, jobprocstatus seen: " + distinct(percents)
                + ", rate " + job.get("bytespersecond").asLong() / (1 << 20) + " MiB/s");
        awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot");
        ok(admin.call("deleteVolume", "id", volume), "deleteVolume");
        ok(admin.call("deleteImageStore", "id", progressStore), "deleteImageStore");
    }

    // --- helpers ---

    private static List<Integer> distinct(List<Integer> values) {
        return values.stream().distinct().collect(Collectors.toList());
    }

    private static void set(String name, String value) throws Exception {
        ok(admin.call("updateConfiguration", "name", name, "value", value), "updateConfiguration");
    }

    private static List<JsonNode> hostAlerts() throws Exception {
        return list(admin, "listAlerts", "alert", "type", "7", "keyword", cloud.hostId);
    }

    private static List<JsonNode> alerts(int type, String keyword) throws Exception {
        return list(admin, "listAlerts", "alert", "type", String.valueOf(type), "keyword", keyword);
    }

    private static String createVolume(String... params) throws Exception {
        JsonNode job = admin.awaitJob(ok(admin.call("createVolume", params), "createVolume").get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        return job.get("jobresult").get("volume").get("id").asText();
    }

    private static void assertCall(String type, String resourceType, String resourceId) throws Exception {
        List<JsonNode> events = list(admin, "listEvents", "event", "type", type, "resourceid", resourceId);
        assertEquals(1, events.size(), type + ": " + events);
        assertEquals("Completed", events.get(0).get("state").asText());
        assertEquals("INFO", events.get(0).get("level").asText());
        assertEquals(resourceType, events.get(0).get("resourcetype").asText());
    }

    private static void assertJob(String type, String resourceType, String resourceId) throws Exception {
        Map<String, JsonNode> byState = list(admin, "listEvents", "event", "type", type, "resourceid", resourceId)
                .stream().collect(Collectors.toMap(e -> e.get("state").asText(), e -> e));
        assertEquals(java.util.Set.of("Scheduled", "Started", "Completed"), byState.keySet(), type + ": " + byState);
        String scheduled = byState.get("Scheduled").get("id").asText();
        assertEquals(scheduled, byState.get("Started").get("parentid").asText(), type);
        assertEquals(scheduled, byState.get("Completed").get("parentid").asText(), type);
        assertEquals("INFO", byState.get("Completed").get("level").asText(), type);
        byState.values().forEach(e -> assertEquals(resourceType, e.get("resourcetype").asText(), type));
    }
}
