package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.BackupNames;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestServer;
import io.rbdstack.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot policies taking real RBD snapshots on the real Ceph cluster. Every policy here fires every
 * {@value #SLOT_SECONDS} seconds (server.properties' snapshot.policy.test.interval.seconds; an
 * hourly schedule could not fire within a test), and the scheduler looks every second.
 */
class SnapshotPoliciesIT {

    private static final int SLOT_SECONDS = 5;
    private static final String TEST_SLOTS = "snapshot.policy.test.interval.seconds=" + SLOT_SECONDS;

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
        cloud = OneHostCloud.start(dir, TEST_SLOTS);
        admin = cloud.admin();
        io = cloud.cephAdmin().ioCtx();
        cloud.createdRbdPool("policy-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        ok(admin.call("updateConfiguration", "name", "snapshot.poll.interval", "value", "1"), "updateConfiguration");
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void aPolicyTakesItsSnapshotsOnTimeAndKeepsItsMaxsnapsNewest() throws Exception {
        String volume = createVolume("kept");
        String policy = policy(volume, 2);
        Deadline.await("the policy took three snapshots", Duration.ofSeconds(5 * SLOT_SECONDS),
                () -> snapshotsEverTaken(volume) >= 3 && pendingJobs() == 0);
        ok(admin.call("deleteSnapshotPolicies", "id", policy), "deleteSnapshotPolicies");
        awaitIdle();

        List<JsonNode> kept = list(admin, "listSnapshots", "snapshot", "volumeid", volume);
        assertEquals(2, kept.size(), "maxsnaps 2: " + kept);
        for (JsonNode snapshot : kept) {
            assertEquals("HOURLY", snapshot.get("snapshottype").asText(), snapshot.toString());
            assertEquals("HOURLY", snapshot.get("intervaltype").asText());
            assertEquals("CreatedOnPrimary", snapshot.get("state").asText());
        }
        List<String> keptIds = kept.stream().map(s -> s.get("id").asText()).sorted().toList();
        assertEquals(keptIds, RbdData.snapshots(io, volume).stream().sorted().toList(),
                "the oldest were deleted from Ceph too; the newest two are there");
        List<String> all = snapshotIdsOldestFirst(volume);
        assertTrue(!keptIds.contains(all.get(0)), "the oldest went first");
        assertEquals(all.subList(all.size() - 2, all.size()).stream().sorted().toList(), keptIds);
        assertOnePerSlot(volume);

        assertEquals(keptIds, ids(list(admin, "listSnapshots", "snapshot", "volumeid", volume, "snapshottype",
                "RECURRING")));
        assertEquals(keptIds, ids(list(admin, "listSnapshots", "snapshot", "volumeid", volume, "intervaltype",
                "HOURLY")));
        assertEquals(List.of(), ids(list(admin, "listSnapshots", "snapshot", "volumeid", volume, "intervaltype",
                "DAILY")));
        String manual = awaitOk(admin, admin.call("createSnapshot", "volumeid", volume), "createSnapshot")
                .get("snapshot").get("id").asText();
        assertEquals(List.of(manual), ids(list(admin, "listSnapshots", "snapshot", "volumeid", volume,
                "snapshottype", "MANUAL")));
        List<JsonNode> jobs = list(admin, "listAsyncJobs", "asyncjobs");
        assertTrue(jobs.stream().filter(j -> j.get("cmd").asText().equals("createSnapshot")
                && j.get("jobstatus").asInt() == 1).count() >= 3, "the policy's snapshots ran as listed jobs");

        Thread.sleep(2 * SLOT_SECONDS * 1000L);
        assertEquals(3, list(admin, "listSnapshots", "snapshot", "volumeid", volume).size(),
                "a deleted policy takes no more snapshots");
    }

    @Test
    void twoManagementServersOnOneDatabaseTakeEachScheduledSnapshotOnce() throws Exception {
        Path second = Files.createDirectories(dir.resolve("second"));
        try (TestServer other = cloud.startSecondServer(second, TEST_SLOTS, "agent.heartbeat.seconds=1");
             OneHostCloud.JoinedHost otherHost = cloud.addHostVia(other, "second-host", second.resolve("agent"));
             LogCapture logs = new LogCapture()) {
            String volume = createVolume("shared");
            String policy = policy(volume, 8);
            Deadline.await("the policy took five snapshots", Duration.ofSeconds(8 * SLOT_SECONDS),
                    () -> snapshotsEverTaken(volume) >= 5);
            ok(admin.call("deleteSnapshotPolicies", "id", policy), "deleteSnapshotPolicies");
            awaitIdle();

            assertOnePerSlot(volume);
            List<JsonNode> taken = list(admin, "listSnapshots", "snapshot", "volumeid", volume);
            assertEquals(snapshotsEverTaken(volume), taken.size(), "maxsnaps 8: none deleted, none failed");
            assertTrue(taken.stream().allMatch(s -> s.get("state").asText().equals("CreatedOnPrimary")), taken.toString());
            assertEquals(ids(taken), RbdData.snapshots(io, volume).stream().sorted().toList());
            // Both servers look at the same moments; which wins a slot is up to the database.
            long lost = logs.lines().stream().filter(l -> l.contains("was taken by another management server")).count();
            System.out.println("Scheduled snapshots taken by management server (msid: count): " + jobsByServer(volume)
                    + " (first " + cloud.server.server.msid() + ", second " + other.server.msid() + "); claims lost"
                    + " to the other server: " + lost);
        }
    }

    @Test
    void pruningKeepsTheBackupALaterBackupIsIncrementalTo() throws Exception {
        String storeId = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "policy-backups", "url",
                store.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore").get("imagestore").get("id").asText();
        ok(admin.call("updateConfiguration", "name", "snapshot.backup.to.secondary", "value", "true"),
                "updateConfiguration");
        String volume = createVolume("backed-up");
        String restored = null;
        try {
            RbdData.write(io, volume, 0, RbdData.bytes(1 << 20, 7));
            String policy = policy(volume, 1);
            Deadline.await("the first snapshot is backed up", Duration.ofSeconds(3 * SLOT_SECONDS),
                    () -> snapshotsEverTaken(volume) >= 1 && pendingJobs() == 0);
            String first = snapshotIdsOldestFirst(volume).get(0);
            RbdData.write(io, volume, 64 << 20, RbdData.bytes(64 << 10, 8));
            String content = RbdData.sha256(io, volume, null);
            Deadline.await("a second snapshot is taken and the first pruned", Duration.ofSeconds(3 * SLOT_SECONDS),
                    () -> snapshotsEverTaken(volume) >= 2 && pendingJobs() == 0);
            ok(admin.call("deleteSnapshotPolicies", "id", policy), "deleteSnapshotPolicies");
            awaitIdle();

            List<JsonNode> kept = list(admin, "listSnapshots", "snapshot", "volumeid", volume);
            assertEquals(1, kept.size(), "maxsnaps 1: " + kept);
            JsonNode newest = kept.get(0);
            assertEquals("BackedUp", newest.get("state").asText());
            assertTrue(Files.exists(backupFile(first)), "the pruned snapshot's backup stays: the newest's is"
                    + " incremental to it");
            assertTrue(Files.size(backupFile(newest.get("id").asText())) < Files.size(backupFile(first)),
                    "the newest backup is incremental");

            // The volume goes with every snapshot on primary; the newest lives on in its backup chain.
            ok(admin.call("deleteVolume", "id", volume), "deleteVolume");
            restored = awaitOk(admin, admin.call("createVolume", "snapshotid", newest.get("id").asText(), "name",
                    "restored"), "createVolume").get("volume").get("id").asText();
            assertEquals(content, RbdData.sha256(io, restored, null), "full (pruned snapshot's) + incremental");
        } finally {
            admin.call("updateConfiguration", "name", "snapshot.backup.to.secondary", "value", "false");
            for (JsonNode snapshot : list(admin, "listSnapshots", "snapshot", "listall", "true")) {
                awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot.get("id").asText()), "deleteSnapshot");
            }
            admin.call("deleteVolume", "id", volume);
            if (restored != null) {
                admin.call("deleteVolume", "id", restored);
            }
            ok(admin.call("deleteImageStore", "id", storeId), "deleteImageStore");
        }
    }

    @Test
    void deletingAVolumeEndsItsPolicies() throws Exception {
        String volume = createVolume("short-lived");
        ok(admin.call("createSnapshotPolicy", "volumeid", volume, "intervaltype", "DAILY", "schedule", "00:03",
                "timezone", "UTC", "maxsnaps", "1", "fordisplay", "false"), "createSnapshotPolicy");
        ok(admin.call("deleteVolume", "id", volume), "deleteVolume");
        assertEquals(List.of(), list(admin, "listSnapshotPolicies", "snapshotpolicy", "listall", "true",
                "fordisplay", "false"));
    }

    // --- helpers ---

    private static String createVolume(String name) throws Exception {
        return awaitOk(admin, admin.call("createVolume", "name", name, "zoneid", cloud.zoneId, "diskofferingid",
                offering, "size", "1"), "createVolume").get("volume").get("id").asText();
    }

    /** An hourly policy: with the test slots, it fires every SLOT_SECONDS. */
    private static String policy(String volume, int maxSnaps) throws Exception {
        return ok(admin.call("createSnapshotPolicy", "volumeid", volume, "intervaltype", "HOURLY", "schedule", "00",
                "timezone", "UTC", "maxsnaps", String.valueOf(maxSnaps)), "createSnapshotPolicy")
                .get("snapshotpolicy").get("id").asText();
    }

    private static void awaitIdle() {
        Deadline.await("no job is pending", Duration.ofSeconds(60), () -> pendingJobs() == 0);
    }

    private static List<String> ids(List<JsonNode> snapshots) {
        return snapshots.stream().map(s -> s.get("id").asText()).sorted().toList();
    }

    private static Path backupFile(String snapshotId) throws Exception {
        try (var files = Files.walk(store)) {
            return files.filter(p -> BackupNames.isBackupOf(p.getFileName().toString(), snapshotId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no backup file of " + snapshotId));
        }
    }

    /** Every snapshot the volume ever had (deleted ones too) was taken in a slot of its own, and no slot was missed. */
    private static void assertOnePerSlot(String volume) throws Exception {
        Map<Long, Integer> perSlot = new TreeMap<>();
        for (String created : query("SELECT UNIX_TIMESTAMP(s.created) FROM snapshots s JOIN volumes v ON v.id ="
                + " s.volume_id WHERE v.uuid = ? AND s.snapshot_type = 'HOURLY'", volume)) {
            perSlot.merge(Long.parseLong(created) / SLOT_SECONDS, 1, Integer::sum);
        }
        assertTrue(perSlot.size() >= 2, "slots: " + perSlot);
        assertTrue(perSlot.values().stream().allMatch(n -> n == 1), "one snapshot per slot: " + perSlot);
        List<Long> slots = new ArrayList<>(perSlot.keySet());
        assertEquals(slots.size() - 1, slots.get(slots.size() - 1) - slots.get(0), "no slot missed: " + slots);
    }

    private static long snapshotsEverTaken(String volume) throws Exception {
        return number("SELECT COUNT(*) FROM snapshots s JOIN volumes v ON v.id = s.volume_id WHERE v.uuid = ?"
                + " AND s.snapshot_type = 'HOURLY'", volume);
    }

    private static long pendingJobs() throws Exception {
        return number("SELECT COUNT(*) FROM async_job WHERE job_status = 0");
    }

    /** How many of the volume's policy snapshots each management server's job took, by msid. */
    private static Map<Long, Long> jobsByServer(String volume) throws Exception {
        Map<Long, Long> counts = new TreeMap<>();
        for (String row : query("SELECT CONCAT(executing_msid, ' ', COUNT(*)) FROM async_job WHERE cmd = 'createSnapshot'"
                + " AND cmd_info LIKE CONCAT('%', ?, '%') GROUP BY executing_msid", volume)) {
            String[] msidAndCount = row.split(" ");
            counts.put(Long.parseLong(msidAndCount[0]), Long.parseLong(msidAndCount[1]));
        }
        return counts;
    }

    private static List<String> snapshotIdsOldestFirst(String volume) throws Exception {
        return query("SELECT s.uuid FROM snapshots s JOIN volumes v ON v.id = s.volume_id WHERE v.uuid = ?"
                + " ORDER BY s.created, s.id", volume);
    }

    private static long number(String sql, String... args) throws Exception {
        return Long.parseLong(query(sql, args).get(0));
    }

    /** The first column of every row, as text. */
    private static List<String> query(String sql, String... args) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
