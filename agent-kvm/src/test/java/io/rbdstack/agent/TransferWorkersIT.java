package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.BackupCalls;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.server.ApiClient;
import io.rbdstack.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-host transfer workers on the real server, agent and Ceph: with more backups than
 * {@code concurrent.snapshots.threshold.perhost}, the extra ones wait (their jobs say so), the agent never runs
 * more than the threshold at once, and createVolume and deleteVolume answer while the backups run.
 */
class TransferWorkersIT {

    private static final int THRESHOLD = 2;
    private static final int BACKUPS = 4;
    /** Written into the volume, so each full backup reads and writes this much: long enough to overlap. */
    private static final int WRITTEN_MIB = 320;
    private static final Pattern STARTED = Pattern.compile(
            "Transfer BackupRbdSnapshotCommand \\(request \\d+\\) started; (\\d+) transfer\\(s\\) running");

    @TempDir
    static Path dir;
    @TempDir
    static Path store;
    static OneHostCloud cloud;
    static ApiClient admin;
    static BackupCalls calls;
    static String offering;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        logs = new LogCapture();
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        calls = new BackupCalls(admin);
        cloud.createdRbdPool("transfer-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "backups", "url",
                store.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close(); // deletes the snapshots, volumes and pool the test left
        }
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void backupsBeyondTheThresholdQueueWhileCreatesAndDeletesAnswerAtOnce() throws Exception {
        ok(admin.call("updateConfiguration", "name", "concurrent.snapshots.threshold.perhost", "value",
                String.valueOf(THRESHOLD)), "updateConfiguration");
        String volumeId = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        for (int mib = 0; mib < WRITTEN_MIB; mib += 16) {
            RbdData.write(cloud.cephAdmin().ioCtx(), volumeId, (long) mib << 20, RbdData.bytes(16 << 20, mib));
        }
        // Snapshots of one volume share its data in Ceph; none is backed up yet, so each backup is full.
        List<String> snapshots = new ArrayList<>();
        for (int i = 0; i < BACKUPS; i++) {
            snapshots.add(calls.snapshot(volumeId));
        }

        List<String> jobs = new ArrayList<>();
        for (String snapshot : snapshots) {
            jobs.add(ok(admin.call("backupSnapshot", "id", snapshot), "backupSnapshot").get("jobid").asText());
        }
        // The jobs beyond the threshold say they wait, and how many wait before them.
        List<JsonNode> queued = new ArrayList<>();
        Deadline.await("a backup job shows it is queued", Duration.ofSeconds(30), () -> {
            for (String job : jobs) {
                JsonNode state = job(job);
                if (state.get("jobstatus").asInt() == 0 && state.path("transferqueued").asBoolean()) {
                    queued.add(state);
                }
            }
            return !queued.isEmpty();
        });
        JsonNode waiting = queued.get(0);
        assertEquals(0, waiting.get("jobprocstatus").asInt(), waiting.toString());
        assertTrue(waiting.get("transfersahead").asInt() >= 0 && waiting.get("transfersahead").asInt()
                < BACKUPS - THRESHOLD, waiting.toString());

        // Creates and deletes do not wait for the backups.
        long t0 = System.nanoTime();
        String created = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        long createMillis = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        ok(admin.call("deleteVolume", "id", created), "deleteVolume");
        long deleteMillis = (System.nanoTime() - t1) / 1_000_000;
        long stillRunning = jobs.stream().filter(j -> job(j).get("jobstatus").asInt() == 0).count();
        assertTrue(stillRunning > 0, "the create and delete ran while backups were still running");
        assertTrue(createMillis < 5000, "createVolume took " + createMillis + " ms behind " + stillRunning
                + " backups");
        assertTrue(deleteMillis < 5000, "deleteVolume took " + deleteMillis + " ms");

        for (String job : jobs) {
            JsonNode done = admin.awaitJob(job);
            assertEquals(1, done.get("jobstatus").asInt(), done.toString());
            assertTrue(!done.has("transferqueued"), "a finished job is not queued: " + done);
        }

        // The agent's own count at each backup's start: never more than the threshold at once.
        List<Integer> running = new ArrayList<>();
        for (String line : logs.lines()) {
            Matcher m = STARTED.matcher(line);
            if (m.find()) {
                running.add(Integer.parseInt(m.group(1)));
            }
        }
        assertEquals(BACKUPS, running.size(), "every backup started once on the agent: " + running);
        assertTrue(running.stream().allMatch(n -> n <= THRESHOLD), "at most " + THRESHOLD + " at once: " + running);
        assertTrue(running.contains(THRESHOLD), "the threshold was reached: " + running);

        for (String snapshot : snapshots) {
            awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot), "deleteSnapshot");
        }
        ok(admin.call("deleteVolume", "id", volumeId), "deleteVolume");
    }

    private static JsonNode job(String jobId) {
        try {
            return admin.call("queryAsyncJobResult", "jobid", jobId).response("queryAsyncJobResult");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
