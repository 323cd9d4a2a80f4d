package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.server.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin's commands where storage is real: resource limits stopping volumes, snapshots, growth and
 * backups on the real Ceph cluster (concurrent requests included), deleteAccount deleting an account's
 * real images and backup files, and a host in maintenance given no storage work.
 */
class AdminOnRealStorageIT {

    private static final long GB = 1L << 30;

    @TempDir
    static Path dir;
    @TempDir
    static Path store;
    static OneHostCloud cloud;
    static ApiClient admin;
    static IoCTX io;
    static String root;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        io = cloud.cephAdmin().ioCtx();
        cloud.createdRbdPool("admin-pool", cloud.ceph.limitedUser(), "zone");
        ok(admin.call("addImageStore", "provider", "SharedMountPoint", "name", "admin-store", "url",
                store.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore");
        root = ok(admin.call("listDomains"), "listDomains").get("domain").get(0).get("id").asText();
    }

    /** Every test starts with an empty pool: the class's volumes would otherwise fill the shared memstore OSD. */
    @AfterEach
    void cleanUp() throws Exception {
        for (JsonNode snapshot : list(admin, "listSnapshots", "snapshot", "listall", "true")) {
            admin.awaitJob(admin.call("deleteSnapshot", "id", snapshot.get("id").asText()).response("deleteSnapshot")
                    .get("jobid").asText());
        }
        for (JsonNode volume : list(admin, "listVolumes", "volume", "listall", "true")) {
            ok(admin.call("deleteVolume", "id", volume.get("id").asText()), "deleteVolume");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void aLimitBlocksTheNextVolumeAlsoWhenRequestsRace() throws Exception {
        ApiClient user = account("racer");
        limit("racer", "2", "2");
        String first = volume(user, "size", "1");
        volume(user, "size", "1");
        assertTrue(imageExists(first), "the volumes are real images");
        ApiClient.Reply third = user.call("createVolume", "zoneid", cloud.zoneId, "size", "1");
        assertEquals(532, third.status(), third.body());
        assertTrue(third.response("createVolume").get("errortext").asText().startsWith("Maximum amount of resources"
                + " of Type = 'volume', tag = 'null' for Account Name = racer"), third.body());

        limit("racer", "2", "4");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<ApiClient.Reply>> racing = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                racing.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return user.call("createVolume", "zoneid", cloud.zoneId, "size", "1");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            int accepted = 0;
            int refused = 0;
            for (CompletableFuture<ApiClient.Reply> reply : racing) {
                ApiClient.Reply r = reply.get();
                if (r.status() == 200) {
                    awaitOk(user, r, "createVolume");
                    accepted++;
                } else {
                    assertEquals(532, r.status(), r.body());
                    refused++;
                }
            }
            assertEquals(2, accepted, "exactly up to the limit of 4");
            assertEquals(2, refused);
        } finally {
            pool.shutdownNow();
        }
        List<JsonNode> volumes = list(user, "listVolumes", "volume");
        assertEquals(4, volumes.size());
        for (JsonNode volume : volumes) {
            assertTrue(imageExists(volume.get("id").asText()), volume.toString());
        }
    }

    @Test
    void growthSnapshotsAndBackupsCountAgainstTheirLimits() throws Exception {
        ApiClient user = account("grower");
        limit("grower", "10", "3");
        String volume = volume(user, "size", "2");
        ApiClient.Reply grow = user.call("resizeVolume", "id", volume, "size", "4");
        assertEquals(532, grow.status(), grow.body());
        assertTrue(grow.body().contains("Type = 'primary_storage'"), grow.body());
        assertEquals("Ready", list(user, "listVolumes", "volume", "id", volume).get(0).get("state").asText(),
                "a refused growth leaves the volume as it was");

        limit("grower", "3", "1");
        String snapshot = awaitOk(user, user.call("createSnapshot", "volumeid", volume), "createSnapshot")
                .get("snapshot").get("id").asText();
        ApiClient.Reply second = user.call("createSnapshot", "volumeid", volume);
        assertEquals(532, second.status(), second.body());
        assertTrue(second.body().contains("Type = 'snapshot'"), second.body());

        limit("grower", "11", "1");
        ApiClient.Reply backup = user.call("backupSnapshot", "id", snapshot);
        assertEquals(532, backup.status(), "a backup holds the snapshot's 2 GiB until its size is known: "
                + backup.body());
        assertEquals("CreatedOnPrimary", list(user, "listSnapshots", "snapshot", "id", snapshot).get(0).get("state")
                .asText());
        limit("grower", "11", "3");
        JsonNode backedUp = awaitOk(user, user.call("backupSnapshot", "id", snapshot), "backupSnapshot")
                .get("snapshot");
        assertEquals("BackedUp", backedUp.get("state").asText());
        JsonNode account = list(admin, "listAccounts", "account", "name", "grower").get(0);
        assertTrue(account.get("secondarystoragetotal").asDouble() < 0.01,
                "an empty volume's backup is small: " + account.get("secondarystoragetotal"));
        assertEquals(2, account.get("primarystoragetotal").asLong());
    }

    @Test
    void deleteAccountDeletesItsRealImagesSnapshotsAndBackups() throws Exception {
        ApiClient user = account("leaver");
        String kept = volume(user, "size", "1");
        String other = volume(user, "size", "1");
        String onPrimary = awaitOk(user, user.call("createSnapshot", "volumeid", kept), "createSnapshot")
                .get("snapshot").get("id").asText();
        String backedUp = awaitOk(user, user.call("createSnapshot", "volumeid", other), "createSnapshot")
                .get("snapshot").get("id").asText();
        awaitOk(user, user.call("backupSnapshot", "id", backedUp), "backupSnapshot");
        assertTrue(backupFiles().anyMatch(f -> f.contains(backedUp)), "the backup file is on the store");
        // A clone pins its snapshot: the deletion takes the clone first.
        String clone = awaitOk(user, user.call("createVolume", "snapshotid", onPrimary, "name", "clone"),
                "createVolume").get("volume").get("id").asText();
        String accountId = list(admin, "listAccounts", "account", "name", "leaver").get(0).get("id").asText();

        JsonNode job = admin.awaitJob(ok(admin.call("deleteAccount", "id", accountId), "deleteAccount").get("jobid")
                .asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        assertFalse(imageExists(kept), "its images are gone from Ceph");
        assertFalse(imageExists(other));
        assertFalse(imageExists(clone));
        assertFalse(backupFiles().anyMatch(f -> f.contains(backedUp)), "and its backup files from the store");
        assertEquals(List.of(), list(admin, "listSnapshots", "snapshot", "listall", "true").stream()
                .filter(s -> s.get("id").asText().equals(onPrimary) || s.get("id").asText().equals(backedUp)).toList());
        assertEquals(401, user.call("listVolumes").status(), "its users' sessions ended");
    }

    @Test
    void aHostInMaintenanceGetsNoStorageWorkUntilItIsBack() throws Exception {
        awaitOk(admin, admin.call("prepareHostForMaintenance", "id", cloud.hostId), "prepareHostForMaintenance");
        try {
            assertEquals("Maintenance", list(admin, "listHosts", "host", "id", cloud.hostId).get(0)
                    .get("resourcestate").asText());
            assertEquals("Up", list(admin, "listHosts", "host", "id", cloud.hostId).get(0).get("state").asText(),
                    "its agent stays connected");
            ApiClient.Reply reply = admin.call("createVolume", "zoneid", cloud.zoneId, "size", "1");
            JsonNode job = admin.awaitJob(ok(reply, "createVolume").get("jobid").asText());
            assertEquals(2, job.get("jobstatus").asInt(), "the only host is in maintenance: " + job);
            assertFalse(imageExists(job.get("jobinstanceid").asText()));
        } finally {
            awaitOk(admin, admin.call("cancelHostMaintenance", "id", cloud.hostId), "cancelHostMaintenance");
        }
        String volume = volume(admin, "size", "1");
        assertTrue(imageExists(volume), "back in service, it creates volumes again");
    }

    private static Stream<String> backupFiles() throws Exception {
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).map(Path::toString).toList().stream();
        }
    }

    private static boolean imageExists(String name) throws RbdException {
        return List.of(new Rbd(io).list()).contains(name);
    }

    private static ApiClient account(String name) throws Exception {
        ok(admin.call("createAccount", "username", name, "password", "pw-" + name, "email", name + "@x.org",
                "firstname", "F", "lastname", "L"), "createAccount");
        return ApiClient.login(cloud.server.baseUrl(), name, "pw-" + name);
    }

    private static void limit(String account, String type, String max) throws Exception {
        ok(admin.call("updateResourceLimit", "account", account, "domainid", root, "resourcetype", type, "max", max),
                "updateResourceLimit");
    }

    private static String volume(ApiClient client, String... params) throws Exception {
        List<String> all = new ArrayList<>(List.of("zoneid", cloud.zoneId));
        all.addAll(List.of(params));
        return awaitOk(client, client.call("createVolume", all.toArray(String[]::new)), "createVolume").get("volume")
                .get("id").asText();
    }
}
