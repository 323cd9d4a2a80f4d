package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.fixtures.ApiLeftovers;
import io.rbdstack.agent.fixtures.BackupNames;
import io.rbdstack.agent.fixtures.BackupCalls;
import io.rbdstack.agent.fixtures.BackupRoundTrip;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.TestCleanup;
import io.rbdstack.server.ApiClient;
import io.rbdstack.testing.RealServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot backups to an NFS image store end to end, on the real server, agent, Ceph and
 * nfs-ganesha (scripts/nfs.sh): the agent writes and reads the export through libnfs, nothing is
 * mounted. Full, then incremental, the volume deleted, then restored: byte for byte each snapshot.
 */
class NfsSnapshotBackupsIT {

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static BackupRoundTrip roundTrip;
    static RadosSession session;
    static IoCTX io;
    static String nfsUrl;
    static Path exportDir;
    /** This test's directory of the shared export, so runs beside it never meet its files. */
    static String subdir = "nfs-backups-it-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        RealServices services = RealServices.load();
        nfsUrl = services.require("nfs.url");
        exportDir = Path.of(services.require("nfs.export.dir"));
        Files.createDirectories(exportDir.resolve(subdir));
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        session = cloud.cephAdmin();
        io = session.ioCtx();
        cloud.createdRbdPool("nfs-backup-pool", cloud.ceph.limitedUser(), "zone");
        String offering = ok(admin.call("createDiskOffering", "name", "custom", "customized", "true"),
                "createDiskOffering").get("diskoffering").get("id").asText();
        roundTrip = new BackupRoundTrip(admin, new BackupCalls(admin), io, cloud.zoneId, offering);
    }

    /** What this test registered; undone after it, also when it failed. */
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
        Path mine = exportDir.resolve(subdir);
        if (Files.exists(mine)) {
            try (Stream<Path> files = Files.walk(mine)) {
                for (Path p : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void fullAndIncrementalBackupsToNfsRestoreEachSnapshotByteForByte() throws Exception {
        // The export's subdirectory is the store; ganesha exports it under the pseudo path.
        ApiClient.Reply unreachable = admin.call("addImageStore", "provider", "NFS", "url",
                nfsUrl + "/" + subdir + "?nfsport=1&mountport=1", "zoneid", cloud.zoneId);
        assertEquals(431, unreachable.status(), unreachable.body());
        assertTrue(unreachable.body().contains("cannot use image store"), unreachable.body());

        String url = nfsUrl + "/" + subdir;
        JsonNode added = ok(admin.call("addImageStore", "provider", "nfs", "name", "nfs-backups", "url", url,
                "zoneid", cloud.zoneId), "addImageStore").get("imagestore");
        cleanup.add(ApiLeftovers.imageStore(admin, added.get("id").asText()));
        assertEquals("NFS", added.get("providername").asText());
        assertEquals("nfs", added.get("protocol").asText());
        assertEquals(url, added.get("url").asText());
        assertTrue(added.get("disksizetotal").asLong() > 0, added.toString());
        JsonNode listed = list(admin, "listImageStores", "imagestore", "provider", "NFS").get(0);
        assertEquals("nfs", listed.get("protocol").asText());

        BackupRoundTrip.Made made = roundTrip.run("nfs-backups", cleanup);
        Path s1File = backupFile(made.s1());
        assertEquals(made.full().get("physicalsize").asLong(), Files.size(s1File), "the file on the NFS server");

        roundTrip.deleteAll(made);
        try (Stream<Path> files = Files.walk(exportDir.resolve(subdir))) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList(), "both backup files are gone");
        }
        ok(admin.call("deleteImageStore", "id", added.get("id").asText()), "deleteImageStore");
    }

    private static Path backupFile(String snapshotId) throws Exception {
        try (Stream<Path> files = Files.walk(exportDir.resolve(subdir))) {
            List<Path> found = files.filter(p -> BackupNames.isBackupOf(p.getFileName().toString(), snapshotId)).toList();
            assertEquals(1, found.size(), "one backup file of " + snapshotId);
            return found.get(0);
        }
    }
}
