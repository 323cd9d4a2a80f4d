package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.assertNotBackedUp;
import static io.rbdstack.agent.fixtures.OneHostCloud.job;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.AgentProcess;
import io.rbdstack.agent.fixtures.ApiLeftovers;
import io.rbdstack.agent.fixtures.BackupCalls;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.PrivateDaemon;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.S3Fixture;
import io.rbdstack.agent.fixtures.TestCleanup;
import io.rbdstack.server.ApiClient;
import io.rbdstack.spi.storage.S3StoreUrl;
import io.rbdstack.testing.RealServices;
import java.io.IOException;
import java.net.ServerSocket;
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
 * Issue 14's faults, through the API on the real server, agent, Ceph, nfs-ganesha and RGW: in the
 * middle of a backup job the NFS server is killed or hangs (SIGSTOP), RGW is killed, the agent is killed
 * (SIGKILL), or the agent is frozen (SIGSTOP: no FIN, as a host cut off; only the heartbeats tell).
 * Each fails the job within a bound (printed), naming the store or the host; no backup looks complete,
 * neither in the API nor on the store; and once the service is back the same backup succeeds and a
 * volume restored from it is byte for byte the snapshot. The servers killed are private instances
 * (scripts/nfs-private.sh, scripts/rgw-private.sh) and the agent one of this test's own, so the shared
 * services never stop. One cloud serves the five cases.
 */
class BackupFaultsIT {

    /** Data per case: several 8 MiB S3 parts (the S3 cases fault once the first is in the bucket). */
    private static final int WRITTEN_MIB = 64;
    /**
     * librbd's QoS read limit (bytes/s) on the snapshot's image while its backup is to fail: the backup then
     * takes about (64 - 16 of burst) / 16 = 3 s at any machine speed, so the fault lands mid-transfer; the
     * agent's next store write, which finds the fault, waits at most one 1 MiB NFS write (~60 ms) or one 8 MiB
     * S3 part (~0.5 s) of reads. The limit is lifted before the retry.
     */
    private static final long BACKUP_READ_BYTES_PER_SECOND = 16L << 20;
    /** What a failed job may take after the fault; the measured time is printed. */
    private static final Duration FAIL_BOUND = Duration.ofSeconds(45);

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static BackupCalls calls;
    static IoCTX io;
    static String offering;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir.resolve("cloud"));
        admin = cloud.admin();
        calls = new BackupCalls(admin);
        io = cloud.cephAdmin().ioCtx();
        cloud.createdRbdPool("faults-pool", cloud.ceph.limitedUser(), "zone");
        offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        // The failed attempts' leftovers are the storage cleanup's (their snapshots' attempts are aged to it).
        ok(admin.call("updateConfiguration", "name", "storage.cleanup.interval", "value", "1"), "updateConfiguration");
    }

    /** What this test registered or started; undone after it, also when it failed. */
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
        // The agents of their own processes (killed, frozen, timed out) logged to files, as did the private NFS
        // servers and RGW: the S3 secret key, which every S3 backup here carried, is in none of them. (The server and
        // the test's own agent log in this JVM, where the other S3 tests capture and search their lines.)
        String secret = Files.readString(Path.of(RealServices.load().require("s3.secret.key.file"))).trim();
        List<Path> logs;
        try (Stream<Path> files = Files.walk(dir)) {
            logs = files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        }
        assertFalse(logs.isEmpty(), "the agents' logs in " + dir);
        for (Path log : logs) {
            assertFalse(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret),
                    "the S3 secret key is in " + log);
        }
        System.out.println("The S3 secret key is in none of " + logs.size() + " logs: " + logs);
    }

    @Test
    void theNfsServerKilledMidBackupFailsTheJobAndARetrySucceeds() throws Exception {
        int nfsPort = freePort();
        int mountPort = freePort();
        Path nfsDir = dir.resolve("nfs");
        Path export = nfsDir.resolve("export");
        PrivateDaemon ganesha = started(new PrivateDaemon("nfs-private.sh", nfsDir, "ganesha.pid",
                String.valueOf(nfsPort), String.valueOf(mountPort)));
        String url = "nfs://127.0.0.1/export?nfsport=" + nfsPort + "&mountport=" + mountPort;
        String storeId = addStore("provider", "NFS", "name", "nfs-faults", "url", url);
        Snapshot snapshot = writtenSnapshot(1, storeId);

        Failed failed = failMidway(snapshot, () -> Deadline.await("the backup's first bytes on the NFS server",
                Duration.ofSeconds(60), () -> partFiles(export).stream().anyMatch(p -> p.toFile().length() > 0)),
                ganesha::crash);
        System.out.println("NFS server killed mid-backup: the job failed " + failed.millis() + " ms later: "
                + failed.error());
        assertTrue(failed.error().contains("nfs://127.0.0.1/export"), "the error names the store: " + failed.error());
        assertNotBackedUp(admin, snapshot.id());
        assertEquals(List.of(), backupFiles(export), "no final-named backup file on the export");

        ganesha.start();
        backUpAndRestore(snapshot);
        awaitLeftoversDeleted(snapshot, "the failed attempt's partial file", () -> partFiles(export).isEmpty());
        assertEquals(1, backupFiles(export).size(), "the recorded backup stays: " + backupFiles(export));
        cleanUp(snapshot);
        assertEquals(List.of(), backupFiles(export), "the backup file went with its snapshot");
    }

    /**
     * A hung NFS server (SIGSTOP: it closes nothing) is found by libnfs's per-RPC timeout alone; the
     * agent runs in a process of its own with a 5 s timeout (20 s by default) to keep this test short, and long
     * enough for a volume's create and delete on a loaded machine.
     * While the backup waits on the hung server, the same agent creates and deletes a volume: the hung
     * store blocks its backup alone, never the agent.
     */
    @Test
    void aHungNfsServerFailsTheJobWithinItsRpcTimeoutsBlocksNothingElseAndARetrySucceeds() throws Exception {
        long rpcTimeoutMillis = 5_000;
        int nfsPort = freePort();
        int mountPort = freePort();
        Path nfsDir = dir.resolve("nfs-hung");
        Path export = nfsDir.resolve("export");
        PrivateDaemon ganesha = started(new PrivateDaemon("nfs-private.sh", nfsDir, "ganesha.pid",
                String.valueOf(nfsPort), String.valueOf(mountPort)));
        String url = "nfs://127.0.0.1/export?nfsport=" + nfsPort + "&mountport=" + mountPort;
        String storeId = addStore("provider", "NFS", "name", "nfs-hung", "url", url);
        Snapshot snapshot = writtenSnapshot(5, storeId);
        try (OwnAgent agent = new OwnAgent("agent-nfs-hung.log", "-Drbdstack.nfs.timeout.ms=" + rpcTimeoutMillis)) {
            Failed failed;
            long[] whileHung = new long[2]; // createVolume's and deleteVolume's milliseconds
            try {
                failed = failMidway(snapshot, () -> Deadline.await("the backup's first bytes on the NFS"
                        + " server", Duration.ofSeconds(60), () -> partFiles(export).stream()
                        .anyMatch(p -> p.toFile().length() > 0)), ganesha::freeze, () -> {
                            long start = System.nanoTime();
                            String other = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering,
                                    "size", "1", "name", "while-nfs-hung");
                            cleanup.add(ApiLeftovers.volume(admin, other));
                            whileHung[0] = (System.nanoTime() - start) / 1_000_000;
                            start = System.nanoTime();
                            ok(admin.call("deleteVolume", "id", other), "deleteVolume");
                            whileHung[1] = (System.nanoTime() - start) / 1_000_000;
                        });
            } finally {
                ganesha.thaw();
            }
            System.out.println("NFS server hung: createVolume " + whileHung[0] + " ms, deleteVolume " + whileHung[1]
                    + " ms on the same agent while its backup waited");
            System.out.println("NFS server hung (SIGSTOP) mid-backup, RPC timeout " + rpcTimeoutMillis
                    + " ms: the job failed " + failed.millis() + " ms later: " + failed.error());
            assertTrue(failed.error().contains("nfs://127.0.0.1/export"), "the error names the store: "
                    + failed.error());
            assertNotBackedUp(admin, snapshot.id());
            assertEquals(List.of(), backupFiles(export), "no final-named backup file on the export");
        }
        backUpAndRestore(snapshot);
        awaitLeftoversDeleted(snapshot, "the hung attempt's partial file", () -> partFiles(export).isEmpty());
        assertEquals(1, backupFiles(export).size(), "the recorded backup stays: " + backupFiles(export));
        cleanUp(snapshot);
    }

    @Test
    void rgwKilledMidBackupFailsTheJobAndARetrySucceeds() throws Exception {
        int port = freePort();
        S3Fixture bucket = cleanup.closing(new S3Fixture("faults"));
        PrivateDaemon rgw = started(new PrivateDaemon("rgw-private.sh", dir.resolve("rgw"), "radosgw.pid",
                String.valueOf(port)));
        String endpoint = "127.0.0.1:" + port;
        String storeId = addS3Store("s3-faults", bucket, endpoint);
        Snapshot snapshot = writtenSnapshot(2, storeId);

        Failed failed = failMidway(snapshot, () -> Deadline.await("the backup's first part in the bucket",
                Duration.ofSeconds(60), () -> bucket.openUploadParts() > 0), rgw::crash);
        System.out.println("RGW killed mid-backup: the job failed " + failed.millis() + " ms later: "
                + failed.error());
        rgw.fence(); // its watches would hold up the shared gateway's bucket notifies for 30 s
        String storeUrl = new S3StoreUrl(endpoint, bucket.bucket, false, bucket.region).url();
        assertTrue(failed.error().contains(storeUrl), "the error names the store: " + failed.error());
        assertNotBackedUp(admin, snapshot.id());
        assertEquals(List.of(), bucket.keys(), "no backup object in the bucket");

        rgw.start();
        backUpAndRestore(snapshot);
        awaitLeftoversDeleted(snapshot, "the failed attempt's upload aborted", () -> bucket.openUploads() == 0);
        assertEquals(1, bucket.keys().size(), "the recorded backup stays: " + bucket.keys());
        cleanUp(snapshot);
        assertEquals(List.of(), bucket.keys(), "the backup object went with its snapshot");
    }

    @Test
    void theAgentKilledMidBackupFailsTheJobAndARetrySucceeds() throws Exception {
        S3Fixture bucket = cleanup.closing(new S3Fixture("faults-agent"));
        String storeId = addS3Store("s3-agent-faults", bucket, bucket.endpoint);
        Snapshot snapshot = writtenSnapshot(3, storeId);
        try (OwnAgent agent = new OwnAgent("agent-killed.log")) {
            Failed failed = failMidway(snapshot, () -> Deadline.await("the backup's first part in the bucket",
                    Duration.ofSeconds(60), () -> bucket.openUploadParts() > 0), agent.process::kill);
            System.out.println("Agent killed (SIGKILL) mid-backup: the job failed " + failed.millis()
                    + " ms later: " + failed.error());
            assertTrue(failed.error().contains("host " + cloud.hostId), "the error names the host: " + failed.error());
            cloud.awaitHostState("Disconnected");
            assertNotBackedUp(admin, snapshot.id());
            assertEquals(List.of(), bucket.keys(), "no backup object in the bucket");
            assertEquals(1, bucket.openUploads(), "the killed agent's upload is open, invisible, until the cleanup");
        }
        backUpAndRestore(snapshot);
        assertEquals(1, bucket.openUploads(), "the retry leaves the killed agent's upload (another name) alone");
        awaitLeftoversDeleted(snapshot, "the killed agent's upload aborted", () -> bucket.openUploads() == 0);
        assertEquals(1, bucket.keys().size(), "the recorded backup stays: " + bucket.keys());
        cleanUp(snapshot);
    }

    @Test
    void aFrozenAgentIsDroppedByHeartbeatsItsBackupFailsAndStopsAndARetrySucceeds() throws Exception {
        S3Fixture bucket = cleanup.closing(new S3Fixture("faults-frozen"));
        String storeId = addS3Store("s3-frozen-faults", bucket, bucket.endpoint);
        Snapshot snapshot = writtenSnapshot(4, storeId);
        try (OwnAgent agent = new OwnAgent("agent-frozen.log")) {
            Failed failed = failMidway(snapshot, () -> Deadline.await("the backup's first part in the"
                    + " bucket", Duration.ofSeconds(60), () -> bucket.openUploadParts() > 0), agent.process::freeze);
            System.out.println("Agent frozen (SIGSTOP) mid-backup, heartbeat 1 s: the job failed "
                    + failed.millis() + " ms later: " + failed.error());
            assertTrue(failed.error().contains("host " + cloud.hostId), "the error names the host: "
                    + failed.error());
            assertTrue(failed.millis() < 6_000 + 3_000, "6 missed heartbeats, then the job fails: "
                    + failed.millis());
            assertNotBackedUp(admin, snapshot.id());

            agent.process.thaw(); // it finds its connection closed: the backup the server failed must not finish
            Deadline.await("the thawed agent's upload aborted", Duration.ofSeconds(60),
                    () -> bucket.openUploads() == 0);
            assertEquals(List.of(), bucket.keys(), "the thawed agent did not finish the failed backup");
            cloud.awaitHostState("Up");
        }
        backUpAndRestore(snapshot);
        assertEquals(1, bucket.keys().size(), bucket.keys().toString());
        cleanUp(snapshot);
    }

    /**
     * The host's agent moved into a process of its own, which a test can kill or freeze. {@link #close()}, by
     * the test or else by its clean-up, stops that process and starts the test's agent again (once): the retry
     * and the clean-up's deletes need a host.
     */
    private final class OwnAgent implements AutoCloseable {

        final AgentProcess process;
        private boolean closed;

        OwnAgent(String log, String... jvmOptions) throws Exception {
            cleanup.closing(this); // first: if stopping the test's agent fails halfway, the clean-up starts it again
            cloud.stopAgent();
            process = AgentProcess.start(cloud.agentProperties(), dir.resolve(log), jvmOptions);
            cloud.awaitHostState("Up");
        }

        @Override
        public void close() throws Exception {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (process != null) {
                    process.close();
                    cloud.awaitHostState("Disconnected");
                }
            } finally {
                cloud.startAgent();
            }
        }
    }

    /** A snapshot of a volume of the test's, and the image store (the test's own) its backups must go to. */
    private record Snapshot(String id, String volumeId, String sha256, String storeId) {
    }

    private record Failed(long millis, String error) {
    }

    /**
     * A 1 GiB volume with {@link #WRITTEN_MIB} MiB of seeded data and a snapshot of it, its reads limited to
     * {@link #BACKUP_READ_BYTES_PER_SECOND} (the agent's next open of it, the backup, is slow).
     */
    private Snapshot writtenSnapshot(int seed, String storeId) throws Exception {
        String volumeId = calls.createVolume("zoneid", cloud.zoneId, "diskofferingid", offering, "size", "1");
        cleanup.add(ApiLeftovers.volume(admin, volumeId));
        for (int mib = 0; mib < WRITTEN_MIB; mib += 4) {
            RbdData.write(io, volumeId, (long) mib << 20, RbdData.bytes(4 << 20, seed * 1000 + mib));
        }
        String sha256 = RbdData.sha256(io, volumeId, null);
        Snapshot snapshot = new Snapshot(calls.snapshot(volumeId), volumeId, sha256, storeId);
        cleanup.add(ApiLeftovers.snapshot(admin, snapshot.id()));
        cloud.cluster.cli("rbd", "config", "image", "set", image(volumeId), "rbd_qos_read_bps_limit",
                Long.toString(BACKUP_READ_BYTES_PER_SECOND));
        return snapshot;
    }

    private static String image(String volumeId) {
        return cloud.ceph.pool() + "/" + volumeId;
    }

    /**
     * Starts the snapshot's backup, waits until {@code midway} sees it under way, injects {@code fault}
     * and waits for the job to end: it must fail within {@link #FAIL_BOUND} of the fault.
     */
    private static Failed failMidway(Snapshot snapshot, Step midway, Step fault) throws Exception {
        return failMidway(snapshot, midway, fault, null);
    }

    /** As the other, {@code meanwhile} (if not null) run right after the fault, while the backup must still be running. */
    private static Failed failMidway(Snapshot snapshot, Step midway, Step fault, Step meanwhile) throws Exception {
        assertBacksUpToItsStore(snapshot);
        String jobId = ok(admin.call("backupSnapshot", "id", snapshot.id()), "backupSnapshot").get("jobid").asText();
        midway.run();
        assertEquals(0, job(admin, jobId).get("jobstatus").asInt(), "the backup was still running at the fault");
        fault.run();
        long faulted = System.nanoTime();
        if (meanwhile != null) {
            meanwhile.run();
            assertEquals(0, job(admin, jobId).get("jobstatus").asInt(), "the backup was still running after what"
                    + " ran meanwhile");
        }
        JsonNode job;
        do {
            Thread.sleep(20);
            job = job(admin, jobId);
        } while (job.get("jobstatus").asInt() == 0 && System.nanoTime() - faulted < FAIL_BOUND.toNanos());
        long millis = (System.nanoTime() - faulted) / 1_000_000;
        assertEquals(2, job.get("jobstatus").asInt(), "failed within " + FAIL_BOUND.toSeconds() + " s: " + job);
        return new Failed(millis, job.get("jobresult").get("errortext").asText());
    }



    /**
     * The same backup again, at full speed (the read limit lifted), which must succeed; then the volume deleted
     * and restored from the backup.
     */
    private void backUpAndRestore(Snapshot snapshot) throws Exception {
        cloud.cluster.cli("rbd", "config", "image", "remove", image(snapshot.volumeId()), "rbd_qos_read_bps_limit");
        assertBacksUpToItsStore(snapshot);
        JsonNode backedUp = calls.backup(snapshot.id());
        assertEquals("BackedUp", backedUp.get("state").asText(), backedUp.toString());
        assertEquals(snapshot.storeId(), backedUp.path("datastoreid").asText(), "backed up to the test's store: "
                + backedUp);
        assertTrue(backedUp.get("physicalsize").asLong() > (long) WRITTEN_MIB << 20, backedUp.toString());
        ok(admin.call("deleteVolume", "id", snapshot.volumeId()), "deleteVolume"); // the restore reads the store
        String restored = calls.createVolume("snapshotid", snapshot.id(), "name", "restored");
        cleanup.add(ApiLeftovers.volume(admin, restored));
        assertEquals(snapshot.sha256(), RbdData.sha256(io, restored, null), "the restored volume = the snapshot");
        ok(admin.call("deleteVolume", "id", restored), "deleteVolume");
    }

    /** The storage cleanup, the snapshot's last attempt staged a day back, deletes what failed attempts left. */
    private static void awaitLeftoversDeleted(Snapshot snapshot, String what, Deadline.Condition gone) throws Exception {
        cloud.ageBackupAttempts(snapshot.id());
        Deadline.await(what + ", deleted by the storage cleanup", Duration.ofSeconds(30), gone);
    }

    /** The test's own end: its snapshot deleted (with its backup), then its store (which must be empty by then). */
    private static void cleanUp(Snapshot snapshot) throws Exception {
        awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot.id()), "deleteSnapshot");
        ok(admin.call("deleteImageStore", "id", snapshot.storeId()), "deleteImageStore");
    }

    /**
     * backupSnapshot has no store parameter: the server backs up to the zone's emptiest store (or next to the
     * chain's base). So before each backup the zone's stores must be the snapshot's store alone; a store that
     * another test left is named here instead of being backed up to.
     */
    private static void assertBacksUpToItsStore(Snapshot snapshot) throws Exception {
        List<String> stores = list(admin, "listImageStores", "imagestore", "zoneid", cloud.zoneId).stream()
                .map(s -> s.get("id").asText() + " (" + s.get("name").asText() + ")").toList();
        assertEquals(1, stores.size(), "the zone's image stores, of which the test's " + snapshot.storeId()
                + " must be the only one: " + stores);
        assertTrue(stores.get(0).startsWith(snapshot.storeId() + " "), "the zone's only image store is the test's "
                + snapshot.storeId() + ": " + stores);
    }

    /** The started daemon; the clean-up stops it (after deleting the store on it, which was added later). */
    private PrivateDaemon started(PrivateDaemon daemon) throws Exception {
        cleanup.closing(daemon);
        return daemon.start();
    }

    /** Adds an image store to the zone; the clean-up deletes it unless the test did. Its id. */
    private String addStore(String... params) throws Exception {
        String[] all = Stream.concat(Stream.of(params), Stream.of("zoneid", cloud.zoneId)).toArray(String[]::new);
        String storeId = ok(admin.call("addImageStore", all), "addImageStore").get("imagestore").get("id").asText();
        cleanup.add(ApiLeftovers.imageStore(admin, storeId));
        return storeId;
    }

    private String addS3Store(String name, S3Fixture bucket, String endpoint) throws Exception {
        return addStore("provider", "S3", "name", name,
                "details[0].key", "accesskey", "details[0].value", bucket.credentials.accessKey(),
                "details[1].key", "secretkey", "details[1].value", bucket.credentials.secretKey().reveal(),
                "details[2].key", "bucket", "details[2].value", bucket.bucket,
                "details[3].key", "endpoint", "details[3].value", endpoint,
                "details[4].key", "usehttps", "details[4].value", "false");
    }

    private static List<Path> partFiles(Path export) throws IOException {
        return files(export, ".part");
    }

    private static List<Path> backupFiles(Path export) throws IOException {
        return files(export, ".rbddiff");
    }

    private static List<Path> files(Path root, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
