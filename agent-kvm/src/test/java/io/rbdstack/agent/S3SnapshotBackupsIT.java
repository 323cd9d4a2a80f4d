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
import io.rbdstack.agent.fixtures.BackupCalls;
import io.rbdstack.agent.fixtures.BackupRoundTrip;
import io.rbdstack.agent.fixtures.FreezingTcpProxy;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.S3Fixture;
import io.rbdstack.agent.fixtures.TestCleanup;
import io.rbdstack.server.ApiClient;
import io.rbdstack.spi.storage.S3StoreUrl;
import io.rbdstack.testing.LogCapture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot backups to an S3 image store end to end, on the real server, agent, Ceph and Ceph RGW
 * (scripts/rgw.sh): added with CloudStack's details, its secret key never shown nor logged; full,
 * then incremental, the volume deleted, then restored: byte for byte each snapshot. A store whose
 * endpoint goes down fails the backup job in bounded time, naming the store, and leaves nothing behind.
 */
class S3SnapshotBackupsIT {

    @TempDir
    static Path dir;
    static LogCapture logs;
    static S3Fixture rgw;
    static OneHostCloud cloud;
    static ApiClient admin;
    static BackupCalls calls;
    static BackupRoundTrip roundTrip;
    static RadosSession session;
    static IoCTX io;
    static String offering;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture(); // before anything starts: every log line of the run is checked for the key
        rgw = new S3Fixture("s3backupsit");
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        calls = new BackupCalls(admin);
        session = cloud.cephAdmin();
        io = session.ioCtx();
        cloud.createdRbdPool("s3-backup-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        roundTrip = new BackupRoundTrip(admin, calls, io, cloud.zoneId, offering);
    }

    /** What this test registered; undone after it, also when it failed (a dead store would take the next backups). */
    private final TestCleanup cleanup = new TestCleanup();

    @AfterEach
    void undoWhatTheTestSetUp() throws Exception {
        cleanup.run();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (cloud != null) {
                cloud.close();
            }
            if (rgw != null) {
                rgw.close();
            }
        } finally {
            if (logs != null) {
                String logged = String.join("\n", logs.lines());
                logs.close();
                assertTrue(logged.contains("Backed up snapshot"), "the capture saw the backups");
                assertFalse(logged.contains(rgw.credentials.secretKey().reveal()), "the S3 secret key is in the logs");
            }
        }
    }

    /** addImageStore provider=S3 with CloudStack's details, at {@code endpoint}. */
    private static ApiClient.Reply addStore(String name, String endpoint, String secretKey) throws Exception {
        return admin.call("addImageStore", "provider", "S3", "name", name, "zoneid", cloud.zoneId,
                "details[0].key", "accesskey", "details[0].value", rgw.credentials.accessKey(),
                "details[1].key", "secretkey", "details[1].value", secretKey,
                "details[2].key", "bucket", "details[2].value", rgw.bucket,
                "details[3].key", "endpoint", "details[3].value", endpoint,
                "details[4].key", "usehttps", "details[4].value", "false");
    }

    @Test
    void fullAndIncrementalBackupsToS3RestoreEachSnapshotByteForByte() throws Exception {
        String secret = rgw.credentials.secretKey().reveal();
        ApiClient.Reply wrongKey = addStore("s3-wrong-key", rgw.endpoint, "not-" + secret);
        assertEquals(431, wrongKey.status(), wrongKey.body());
        assertTrue(wrongKey.body().contains("cannot use image store"), wrongKey.body());
        assertEquals(1, wrongKey.body().split(java.util.regex.Pattern.quote(rgw.url()), -1).length - 1,
                "the store named once: " + wrongKey.body());
        assertFalse(wrongKey.body().contains(secret), "the secret key in an error");

        ApiClient.Reply reply = addStore("s3-backups", rgw.endpoint, secret);
        JsonNode added = ok(reply, "addImageStore").get("imagestore");
        cleanup.add(ApiLeftovers.imageStore(admin, added.get("id").asText()));
        assertFalse(reply.body().contains(secret), "the secret key in addImageStore's answer");
        assertEquals("S3", added.get("providername").asText());
        assertEquals("http", added.get("protocol").asText());
        assertEquals(rgw.url(), added.get("url").asText());
        ApiClient.Reply listed = admin.call("listImageStores", "provider", "S3");
        assertEquals(added.get("id").asText(), ok(listed, "listImageStores").get("imagestore").get(0).get("id").asText());
        assertFalse(listed.body().contains(secret), "the secret key in listImageStores");

        BackupRoundTrip.Made made = roundTrip.run("s3-backups", cleanup);
        // The parts hold what was read while they are sent: the full backup read into one transfer buffer.
        List<String> fullBackups = logs.lines().stream().filter(l -> l.contains("Backed up ") && l.contains("(full)"))
                .toList();
        assertFalse(fullBackups.isEmpty(), "the agent logged the full backup");
        for (String line : fullBackups) {
            assertTrue(line.contains("into 1 of the agent's transfer buffers"), line);
        }
        List<String> keys = rgw.keys();
        assertEquals(2, keys.size(), keys.toString());
        String s1Key = keys.stream().filter(k -> BackupNames.isBackupOf(k, made.s1())).findFirst().orElseThrow();
        assertEquals(made.full().get("physicalsize").asLong(), rgw.size(s1Key), "the object in the bucket");

        roundTrip.deleteAll(made);
        assertEquals(List.of(), rgw.keys(), "both backup objects are gone");
        ok(admin.call("deleteImageStore", "id", added.get("id").asText()), "deleteImageStore");
    }

    @Test
    void aStoreWhoseEndpointIsDownFailsTheBackupInBoundedTimeNamingTheStore() throws Exception {
        String storeId;
        String storeUrl;
        String volumeId = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        cleanup.add(ApiLeftovers.volume(admin, volumeId));
        RbdData.write(io, volumeId, 0, RbdData.bytes(1 << 20, 21));
        String snapshotId = calls.snapshot(volumeId);
        cleanup.add(ApiLeftovers.snapshot(admin, snapshotId));
        try (FreezingTcpProxy proxy = new FreezingTcpProxy(Integer.parseInt(rgw.endpoint.split(":")[1]))) {
            String endpoint = "127.0.0.1:" + proxy.port();
            storeUrl = new S3StoreUrl(endpoint, rgw.bucket, false, rgw.region).url();
            storeId = ok(addStore("s3-going-down", endpoint, rgw.credentials.secretKey().reveal()), "addImageStore")
                    .get("imagestore").get("id").asText();
            cleanup.add(ApiLeftovers.imageStore(admin, storeId));
        } // the endpoint is down from here on

        long start = System.nanoTime();
        JsonNode job = admin.awaitJob(ok(admin.call("backupSnapshot", "id", snapshotId), "backupSnapshot")
                .get("jobid").asText());
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        assertEquals(2, job.get("jobstatus").asInt(), job.toString());
        String error = job.get("jobresult").get("errortext").asText();
        assertTrue(error.contains(storeUrl), error);
        assertTrue(seconds < 60, "the backup failed after " + seconds + " s");
        assertEquals(List.of(), rgw.keys(), "no complete-looking backup");
        assertEquals(0, rgw.openUploads(), "no upload left open");
        assertFalse(list(admin, "listSnapshots", "snapshot", "id", snapshotId).get(0).path("state").asText()
                .equals("BackedUp"));

        awaitOk(admin, admin.call("deleteSnapshot", "id", snapshotId), "deleteSnapshot");
        ok(admin.call("deleteVolume", "id", volumeId), "deleteVolume");
        ok(admin.call("deleteImageStore", "id", storeId), "deleteImageStore");
    }
}
