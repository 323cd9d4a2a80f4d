package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.server.ApiClient;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image-store paths through the real API and the real agent: every way of naming a directory out
 * of bounds is refused with 431 naming url, by the server or by the agent that finds where the
 * directory really leads, and leaves no row and no file; a link planted inside a store is refused
 * by backup, restore and delete alike, and nothing it points at is written, read or deleted.
 */
class ImageStorePathsIT {

    @TempDir
    static Path dir;
    @TempDir
    static Path base;
    static OneHostCloud cloud;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void everyPathEscapeIsRefusedWith431NamingUrlAndNothingIsCreated() throws Exception {
        Path linkToEtc = Files.createSymbolicLink(base.resolve("looks-fine"), Path.of("/etc"));
        Path linkToRun = Files.createSymbolicLink(base.resolve("also-fine"), Path.of("/run"));
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("file:///../../etc", "has a '..' segment");
        refusals.put("file:///%2e%2e/etc", "has a '..' segment");
        refusals.put("file:///%2E%2E%2Fetc", "has a '..' segment");
        refusals.put("file:///tmp/store/../../etc", "has a '..' segment");
        refusals.put("file://" + base + "/store/../../x", "has a '..' segment");
        refusals.put("file://" + base + "/store/%2E%2E%2f%2e%2E%2Fx", "has a '..' segment");
        refusals.put("file://" + base + "/./store", "has a '.' segment");
        refusals.put("file:///etc", "/etc is a system directory");
        refusals.put("file:///etc/backups", "may not be /etc or anything below it");
        refusals.put("file:////etc", "/etc is a system directory");
        refusals.put("file:///lib64/x", "may not be /lib* or anything below it");
        refusals.put("file:///var/lib/rbdstack", "may not be /var/lib or anything below it");
        refusals.put("file:///", "not / itself");
        refusals.put("file:///tmp", "not /tmp itself");
        refusals.put("file://remote-host/path", "names host remote-host: an image store is a directory mounted at the"
                + " same path on every KVM host of the zone");
        refusals.put("file://remote-host" + base + "/store", "give file:///<path> (three slashes)");
        refusals.put("file:relative/store", "is not absolute");
        // Only the agent can tell where these lead: to system directories, by a link.
        refusals.put(linkToEtc.toUri().toString(), "resolves to /etc on this host: /etc is a system directory");
        refusals.put(linkToRun.toUri().toString(), "resolves to /run on this host: /run is a system directory");
        List<Path> watched = List.of(Path.of("/"), Path.of("/etc"), Path.of("/run"), Path.of("/tmp"));
        Map<Path, List<String>> before = new LinkedHashMap<>();
        for (Path directory : watched) {
            before.put(directory, storeTraces(directory));
        }
        List<Path> baseBefore = entries(base);
        List<String> varLibBefore = Files.isDirectory(VAR_LIB_RBDSTACK) ? storeTraces(VAR_LIB_RBDSTACK) : null;
        long rowsBefore = imageStoreRows();

        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            ApiClient.Reply reply = admin.call("addImageStore", "provider", "SharedMountPoint", "name", "escape",
                    "url", refusal.getKey(), "zoneid", cloud.zoneId);
            String text = reply.json().path("addimagestoreresponse").path("errortext").asText();
            if (reply.status() != 431 || !text.contains("parameter url") || !text.contains(refusal.getValue())) {
                problems.add(refusal.getKey() + ": " + reply.status() + " " + reply.body());
            }
        }
        assertEquals(List.of(), problems);

        assertEquals(List.of(), list(admin, "listImageStores", "imagestore", "name", "escape"));
        assertEquals(rowsBefore, imageStoreRows(), "no image_store row, not even a removed one");
        for (Path directory : watched) {
            assertEquals(before.get(directory), storeTraces(directory), "nothing made in " + directory);
        }
        assertEquals(baseBefore, entries(base), "no directory made under " + base);
        // /var/lib/rbdstack may exist already (the agent's template work directory lives below it), so
        // what counts is that the refused store left nothing there.
        for (String absent : List.of("/etc/backups", "/lib64/x", "/path")) {
            assertFalse(Files.exists(Path.of(absent), LinkOption.NOFOLLOW_LINKS), absent);
        }
        if (varLibBefore == null) {
            assertFalse(Files.exists(VAR_LIB_RBDSTACK, LinkOption.NOFOLLOW_LINKS), VAR_LIB_RBDSTACK.toString());
        } else {
            assertEquals(varLibBefore, storeTraces(VAR_LIB_RBDSTACK), "nothing made in " + VAR_LIB_RBDSTACK);
        }
    }

    @Test
    void aLinkPlantedInAStoreIsRefusedByBackupRestoreAndDeleteAndWhatItPointsAtIsUntouched() throws Exception {
        Path store = Files.createDirectories(base.resolve("store"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        String storeId = ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "planted", "url",
                store.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore").get("imagestore").get("id").asText();
        String poolId = cloud.createdRbdPool("paths-pool", cloud.ceph.limitedUser(), "zone").get("id").asText();
        String offering = ok(admin.call("createDiskOffering", "name", "paths", "disksize", "1"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        String volumeId = awaitOk(admin, admin.call("createVolume", "zoneid", cloud.zoneId, "diskofferingid", offering,
                "name", "paths"), "createVolume").get("volume").get("id").asText();
        String snapshotId = awaitOk(admin, admin.call("createSnapshot", "volumeid", volumeId), "createSnapshot")
                .get("snapshot").get("id").asText();

        // The store's snapshots directory is a link out of it: the backup is refused, nothing lands outside.
        Path snapshots = store.resolve("snapshots");
        Files.createSymbolicLink(snapshots, outside);
        assertJobFails(admin.call("backupSnapshot", "id", snapshotId), "backupSnapshot",
                "snapshots in image store " + store.toRealPath() + " is a symbolic link (to " + outside + ")");
        assertEquals(List.of(), entries(outside));
        assertEquals("CreatedOnPrimary", snapshot(snapshotId).get("state").asText());
        Files.delete(snapshots);

        // A real backup; then its tree is moved out of the store and a link left in its place.
        awaitOk(admin, admin.call("backupSnapshot", "id", snapshotId), "backupSnapshot");
        ok(admin.call("deleteVolume", "id", volumeId), "deleteVolume"); // the snapshot now lives only in the store
        Files.move(snapshots, outside.resolve("snapshots"));
        Files.createSymbolicLink(snapshots, outside.resolve("snapshots"));
        List<Path> backupOutside = regularFiles(outside);
        assertEquals(1, backupOutside.size(), backupOutside.toString());
        byte[] content = Files.readAllBytes(backupOutside.get(0));

        assertJobFails(admin.call("createVolume", "snapshotid", snapshotId, "name", "restored"), "createVolume",
                "is a symbolic link");
        assertJobFails(admin.call("deleteSnapshot", "id", snapshotId), "deleteSnapshot", "is a symbolic link");
        assertEquals(backupOutside, regularFiles(outside), "the file the link leads to is neither deleted nor joined");
        assertArrayEquals(content, Files.readAllBytes(backupOutside.get(0)), "nor changed");
        assertEquals("BackedUp", snapshot(snapshotId).get("state").asText());
        assertTrue(list(admin, "listVolumes", "volume", "name", "restored").stream()
                .noneMatch(v -> v.get("state").asText().equals("Ready")), "no volume restored through the link");

        // With the tree back in the store, the same delete goes through.
        Files.delete(snapshots);
        Files.move(outside.resolve("snapshots"), snapshots);
        awaitOk(admin, admin.call("deleteSnapshot", "id", snapshotId), "deleteSnapshot");
        assertEquals(List.of(), regularFiles(store));
        ok(admin.call("deleteImageStore", "id", storeId), "deleteImageStore");
        cloud.deletePool(poolId);
    }

    private static void assertJobFails(ApiClient.Reply reply, String command, String why) throws Exception {
        JsonNode job = admin.awaitJob(ok(reply, command).get("jobid").asText());
        assertEquals(2, job.get("jobstatus").asInt(), job.toString());
        String text = job.get("jobresult").get("errortext").asText();
        assertTrue(text.contains(why), text);
    }

    private static JsonNode snapshot(String id) throws Exception {
        return list(admin, "listSnapshots", "snapshot", "id", id).get(0);
    }

    private static long imageStoreRows() throws Exception {
        try (Connection c = cloud.db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM image_store")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Refused as a store; it may exist already, as the parent of the agent's template work directory. */
    private static final Path VAR_LIB_RBDSTACK = Path.of("/var/lib/rbdstack");

    /** What testing or using a store leaves in a directory: probe files and the snapshots tree. */
    private static List<String> storeTraces(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith(".rbdstack-probe") || name.equals("snapshots")).sorted().toList();
        }
    }

    private static List<Path> entries(Path directory) throws Exception {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(p -> !p.equals(directory)).sorted().toList();
        }
    }

    private static List<Path> regularFiles(Path directory) throws Exception {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }
}
