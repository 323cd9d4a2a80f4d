package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.ceph.rbd.Rbd;
import com.ceph.rbd.RbdException;
import com.ceph.rbd.RbdImage;
import com.ceph.rbd.jna.RbdSnapInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RbdImageInfo;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.server.ApiClient;
import io.rbdstack.testing.CephKeyring;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disk offerings and volumes end to end: the management server with the RBD plugin, this host's
 * real agent and the real Ceph cluster. What Ceph has is checked with rados-java and the rbd CLI as
 * client.admin, independently of the agent. Every test starts in a zone without pools or volumes.
 */
class RbdVolumesIT {

    private static final long GB = 1L << 30;
    private static final Set<String> FIVE_FEATURES = Set.of("layering", "exclusive-lock", "object-map", "fast-diff",
            "deep-flatten");

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static CephFixture cluster;
    /** client.admin on the harness pool, for looking at images behind the agent's back. */
    static RadosSession session;
    static IoCTX io;

    /** Images this test made (volume ids), removed from Ceph afterwards if a test left them. */
    private final List<String> images = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        cluster = cloud.cluster;
        session = cloud.cephAdmin();
        io = session.ioCtx();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        admin.call("updateConfiguration", "name", "storage.volume.deferred.delete.seconds", "value", "0");
        admin.call("updateConfiguration", "name", "rbd.deferred.delete.seconds", "value", "0");
        for (JsonNode volume : list(admin, "listVolumes", "volume", "listall", "true")) {
            admin.call("deleteVolume", "id", volume.get("id").asText());
        }
        for (JsonNode pool : list(admin, "listStoragePools", "storagepool", "zoneid", cloud.zoneId)) {
            admin.call("deleteStoragePool", "id", pool.get("id").asText());
        }
        for (String image : images) {
            removeImageIfThere(image);
        }
    }

    @Test
    void volumesFromAnOfferingAndFromASizeAreFormatTwoImagesWithExactlyTheFiveFeatures() throws Exception {
        JsonNode pool = cloud.createdRbdPool("vol-pool", cloud.ceph.limitedUser(), "zone", "tags", "plain");
        JsonNode offering = offering("name", "two-gb", "disksize", "2", "tags", "plain");

        JsonNode fromOffering = createVolume(admin, "name", "data-1", "diskofferingid", offering.get("id").asText());
        String id = fromOffering.get("id").asText();
        assertEquals("data-1", fromOffering.get("name").asText());
        assertEquals(cloud.zoneId, fromOffering.get("zoneid").asText());
        assertEquals("ceph-zone", fromOffering.get("zonename").asText());
        assertEquals("DATADISK", fromOffering.get("type").asText());
        assertEquals(2 * GB, fromOffering.get("size").asLong());
        assertEquals("Ready", fromOffering.get("state").asText());
        assertEquals(pool.get("id").asText(), fromOffering.get("storageid").asText());
        assertEquals("vol-pool", fromOffering.get("storage").asText());
        assertEquals("shared", fromOffering.get("storagetype").asText());
        assertEquals(offering.get("id").asText(), fromOffering.get("diskofferingid").asText());
        assertEquals("two-gb", fromOffering.get("diskofferingname").asText());
        assertEquals("admin", fromOffering.get("account").asText());
        assertNotNull(fromOffering.get("domainid"));
        assertEquals(id, fromOffering.get("path").asText(), "the RBD image is named after the volume");
        assertEquals("thin", fromOffering.get("provisioningtype").asText());
        assertTrue(fromOffering.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}"));
        assertImage(id, 2 * GB);
        assertEquals(fromOffering, list(admin, "listVolumes", "volume", "id", id).get(0));

        JsonNode fromSize = createVolume(admin, "size", "3");
        String sizeId = fromSize.get("id").asText();
        assertEquals(sizeId, fromSize.get("name").asText(), "without a name, the volume is named after its id");
        assertFalse(fromSize.has("diskofferingid"));
        assertEquals("thin", fromSize.get("provisioningtype").asText());
        assertImage(sizeId, 3 * GB);

        assertEquals(5 * GB, allocated(pool), "disksizeallocated is the sum of the provisioned sizes");
    }

    @Test
    void growingIsDoneOnCephAndShrinkingIsRefusedWith431() throws Exception {
        JsonNode pool = cloud.createdRbdPool("resize-pool", cloud.ceph.limitedUser(), "zone", "tags", "resize");
        String custom = offering("name", "custom", "customized", "true", "tags", "resize").get("id").asText();
        String fixedFour = offering("name", "four", "disksize", "4", "tags", "resize").get("id").asText();
        String id = createVolume(admin, "diskofferingid", custom, "size", "1").get("id").asText();

        JsonNode grown = finish(admin, admin.call("resizeVolume", "id", id, "size", "3"), "resizeVolume");
        assertEquals(3 * GB, grown.get("size").asLong());
        assertEquals("Ready", grown.get("state").asText());
        assertImage(id, 3 * GB);
        assertEquals(3 * GB, allocated(pool));

        ApiClient.Reply shrink = admin.call("resizeVolume", "id", id, "size", "2");
        assertEquals(431, shrink.status(), shrink.body());
        String name = grown.get("name").asText();
        assertEquals("Cannot shrink volume " + name + " from 3 GB (3221225472 bytes) to 2 GB (2147483648 bytes): volumes"
                + " on RBD only grow, even with shrinkok=true, since shrinking an RBD image cuts off data the guest may"
                + " still use", shrink.response("resizeVolume").get("errortext").asText());
        ApiClient.Reply shrinkOk = admin.call("resizeVolume", "id", id, "size", "1", "shrinkok", "true");
        assertEquals(431, shrinkOk.status(), shrinkOk.body());
        assertTrue(shrinkOk.response("resizeVolume").get("errortext").asText().contains(
                "from 3 GB (3221225472 bytes) to 1 GB (1073741824 bytes): volumes on RBD only grow; shrinkok=true is"
                        + " accepted but does not change that"), shrinkOk.body());
        assertImage(id, 3 * GB);
        JsonNode unchanged = list(admin, "listVolumes", "volume", "id", id).get(0);
        assertEquals(3 * GB, unchanged.get("size").asLong());
        assertEquals("Ready", unchanged.get("state").asText());

        JsonNode toFixed = finish(admin, admin.call("resizeVolume", "id", id, "diskofferingid", fixedFour),
                "resizeVolume");
        assertEquals(4 * GB, toFixed.get("size").asLong());
        assertEquals("four", toFixed.get("diskofferingname").asText());
        assertImage(id, 4 * GB);
        ApiClient.Reply fixedNow = admin.call("resizeVolume", "id", id, "size", "5");
        assertEquals(431, fixedNow.status(), "a fixed offering's volume needs a new offering to change size");
        assertEquals(4 * GB, allocated(pool));
    }

    @Test
    void deleteRemovesTheImageAlsoWithSnapshotsAndFreesTheAllocation() throws Exception {
        JsonNode pool = cloud.createdRbdPool("delete-pool", cloud.ceph.limitedUser(), "zone", "tags", "delete");
        String offering = offering("name", "one", "disksize", "1", "tags", "delete").get("id").asText();
        String plain = createVolume(admin, "diskofferingid", offering).get("id").asText();
        String withSnapshots = createVolume(admin, "diskofferingid", offering).get("id").asText();
        Rbd rbd = new Rbd(io);
        RbdImage image = rbd.open(withSnapshots);
        try {
            image.snapCreate("kept");
            image.snapCreate("protected");
            image.snapProtect("protected");
        } finally {
            rbd.close(image);
        }
        assertEquals(2 * GB, allocated(pool));

        ok(admin.call("deleteVolume", "id", plain), "deleteVolume");
        assertFalse(imageExists(plain));
        assertEquals(GB, allocated(pool), "disksizeallocated drops");
        assertEquals(0, list(admin, "listVolumes", "volume", "id", plain).size());

        JsonNode deleted = ok(admin.call("deleteVolume", "id", withSnapshots), "deleteVolume");
        assertTrue(deleted.get("success").asBoolean());
        assertFalse(imageExists(withSnapshots), "the image went with its snapshots");
        assertEquals(0, allocated(pool));
        assertEquals("Expunged", rowState(withSnapshots), "gone from Ceph at once: Expunged");

        ApiClient.Reply again = admin.call("deleteVolume", "id", withSnapshots);
        assertEquals(431, again.status(), again.body());
    }

    @Test
    void deferredDeletesGoToTheRbdTrashByTheGlobalSettingOrTheRbdOption() throws Exception {
        JsonNode pool = cloud.createdRbdPool("trash-pool", cloud.ceph.limitedUser(), "zone", "tags", "trash");
        String offering = offering("name", "trash-one", "disksize", "1", "tags", "trash").get("id").asText();
        String byGlobal = createVolume(admin, "diskofferingid", offering).get("id").asText();
        String byOption = createVolume(admin, "diskofferingid", offering).get("id").asText();
        try {
            ok(admin.call("updateConfiguration", "name", "storage.volume.deferred.delete.seconds", "value", "600"),
                    "updateConfiguration");
            ok(admin.call("deleteVolume", "id", byGlobal), "deleteVolume");
            assertFalse(imageExists(byGlobal));
            assertTrue(trash().contains(byGlobal), "in the trash: " + trash());
            assertEquals("Destroyed", rowState(byGlobal), "Ceph still keeps it: Destroyed, not Expunged");

            // The RBD plugin's own option is a global setting too, read at each delete.
            ok(admin.call("updateConfiguration", "name", "storage.volume.deferred.delete.seconds", "value", "0"),
                    "updateConfiguration");
            JsonNode option = ok(admin.call("updateConfiguration", "name", "rbd.deferred.delete.seconds", "value",
                    "3600"), "updateConfiguration").get("configuration");
            assertEquals("Storage", option.get("category").asText());
            assertEquals("0", option.get("defaultvalue").asText());
            assertEquals(431, admin.call("updateConfiguration", "name", "rbd.deferred.delete.seconds", "value",
                    "later").status(), "the option is an INTEGER setting");
            ok(admin.call("deleteVolume", "id", byOption), "deleteVolume");
            assertTrue(trash().contains(byOption), "in the trash: " + trash());
            assertEquals(0, allocated(pool), "a deferred delete frees the allocation too");
        } finally {
            purgeFromTrash(byGlobal);
            purgeFromTrash(byOption);
        }
    }

    @Test
    void thePoolIsChosenByTheOfferingsTagsAndThenByRoom() throws Exception {
        String gold = cloud.createdRbdPool("gold-pool", cloud.ceph.limitedUser(), "zone", "tags", "gold,ssd")
                .get("id").asText();
        String silver = cloud.createdRbdPool("silver-pool", cloud.ceph.admin(), "zone", "tags", "silver")
                .get("id").asText();
        String goldOffering = offering("name", "gold", "disksize", "1", "tags", "gold").get("id").asText();
        String silverOffering = offering("name", "silver", "disksize", "1", "tags", "silver").get("id").asText();
        String both = offering("name", "both", "disksize", "1", "tags", "gold,silver").get("id").asText();

        assertEquals(gold, createVolume(admin, "diskofferingid", goldOffering).get("storageid").asText());
        assertEquals(silver, createVolume(admin, "diskofferingid", silverOffering).get("storageid").asText());
        ApiClient.Reply none = admin.call("createVolume", "zoneid", cloud.zoneId, "diskofferingid", both);
        assertEquals(533, none.status(), none.body());
        assertEquals("No Up primary storage pool in zone ceph-zone can take a volume of 1 GB (1073741824 bytes) with"
                + " storage tags gold,silver: no Up pool there has all these tags",
                none.response("createVolume").get("errortext").asText());

        // Two pools with the tag: the one with more room left (capacitybytes x factor 2 - allocated) wins.
        String small = cloud.createdRbdPool("room-small", cloud.ceph.limitedUser(), "zone", "tags", "room",
                "capacitybytes", String.valueOf(GB)).get("id").asText();
        String large = cloud.createdRbdPool("room-large", cloud.ceph.limitedUser(), "zone", "tags", "room",
                "capacitybytes", String.valueOf(2 * GB)).get("id").asText();
        String room = offering("name", "room", "disksize", "1", "tags", "room").get("id").asText();
        assertEquals(large, createVolume(admin, "diskofferingid", room).get("storageid").asText(), "4 GB vs 2 GB room");
        assertEquals(large, createVolume(admin, "diskofferingid", room).get("storageid").asText(), "3 GB vs 2 GB");
        // 2 GB left on each: a tie goes to the older pool
        assertEquals(small, createVolume(admin, "diskofferingid", room).get("storageid").asText(), "2 GB vs 2 GB");
    }

    @Test
    void whenNoPoolHasRoomItIs533NamingTheNeedAndNothingIsSaved() throws Exception {
        JsonNode pool = cloud.createdRbdPool("tiny-pool", cloud.ceph.limitedUser(), "zone", "tags", "tiny",
                "capacitybytes", String.valueOf(GB));
        assertEquals(GB, pool.get("disksizetotal").asLong(), "capacitybytes caps the total");
        String custom = offering("name", "tiny-custom", "customized", "true", "tags", "tiny").get("id").asText();
        String id = createVolume(admin, "diskofferingid", custom, "size", "1").get("id").asText();

        ApiClient.Reply tooBig = admin.call("createVolume", "zoneid", cloud.zoneId, "diskofferingid", custom,
                "size", "2");
        assertEquals(533, tooBig.status(), tooBig.body());
        JsonNode error = tooBig.response("createVolume");
        assertEquals(4325, error.get("cserrorcode").asInt());
        assertEquals("Insufficient capacity for a volume of 2 GB (2147483648 bytes) with storage tags tiny in zone"
                + " ceph-zone: the most room left on the 1 Up pool(s) that qualify is 1 GB (1073741824 bytes) on pool"
                + " tiny-pool (allocated + size may reach total x storage.overprovisioning.factor 2)",
                error.get("errortext").asText());
        assertEquals(1, list(admin, "listVolumes", "volume").size(), "nothing saved");

        ApiClient.Reply grow = admin.call("resizeVolume", "id", id, "size", "3");
        assertEquals(533, grow.status(), grow.body());
        assertTrue(grow.response("resizeVolume").get("errortext").asText().startsWith("Insufficient capacity on"
                + " primary storage pool tiny-pool to grow a volume by 2 GB (2147483648 bytes): 1 GB (1073741824 bytes)"
                + " room left"), grow.body());
        assertEquals("Ready", list(admin, "listVolumes", "volume", "id", id).get(0).get("state").asText());

        // The default pool.storage.allocated.capacity.disablethreshold (0.85) keeps a pool from being filled
        // to the brim; at 1 the over-provisioning limit alone decides.
        ok(admin.call("updateConfiguration", "name", "pool.storage.allocated.capacity.disablethreshold", "value", "1"),
                "updateConfiguration");
        try {
            createVolume(admin, "diskofferingid", custom, "size", "1");
        } finally {
            admin.call("updateConfiguration", "name", "pool.storage.allocated.capacity.disablethreshold", "value",
                    "0.85");
        }
        assertEquals(2 * GB, allocated(pool), "exactly full: total x factor");
    }

    @Test
    void aFailedCreateLeavesNoOrphanImageAndNoHalfRow() throws Exception {
        // A throw-away cephx user that may use the pool when it is added, and may only read it afterwards.
        CephKeyring.CephUser user = cluster.createUser("mon", "profile rbd", "osd", "profile rbd pool="
                + cloud.ceph.pool(), "mgr", "profile rbd pool=" + cloud.ceph.pool());
        JsonNode pool = cloud.createdRbdPool("failing-pool", user, "zone", "tags", "failing");
        ObjectNode readOnly = CephFixture.command("auth caps").put("entity", "client." + user.id());
        readOnly.putArray("caps").add("mon").add("profile rbd").add("osd")
                .add("profile rbd-read-only pool=" + cloud.ceph.pool());
        cluster.mon(readOnly);
        String offering = offering("name", "failing", "disksize", "1", "tags", "failing").get("id").asText();

        JsonNode started = ok(admin.call("createVolume", "zoneid", cloud.zoneId, "name", "doomed", "diskofferingid",
                offering), "createVolume");
        String id = started.get("id").asText();
        images.add(id);
        JsonNode job = admin.awaitJob(started.get("jobid").asText());
        assertEquals(2, job.get("jobstatus").asInt(), job.toString());
        assertEquals("Volume", job.get("jobinstancetype").asText());
        assertEquals(id, job.get("jobinstanceid").asText());
        String reason = job.get("jobresult").get("errortext").asText();
        assertTrue(reason.startsWith("Volume doomed was not created: Could not create RBD image " + id
                + " in pool failing-pool: "), reason);
        assertTrue(reason.contains("EPERM"), reason);
        assertEquals(530, job.get("jobresult").get("errorcode").asInt());

        assertFalse(imageExists(id), "no orphan image");
        assertEquals(0, list(admin, "listVolumes", "volume", "id", id).size(), "no row the API shows");
        assertEquals("Error", rowState(id), "the row is kept for the record as Error, marked removed");
        assertEquals(0, allocated(pool), "and holds no capacity");
        cloud.deletePool(pool.get("id").asText());
    }

    @Test
    void aPoolWithAVolumeCannotBeDeleted() throws Exception {
        JsonNode pool = cloud.createdRbdPool("busy-pool", cloud.ceph.limitedUser(), "zone");
        String id = createVolume(admin, "size", "1").get("id").asText();
        ApiClient.Reply refused = admin.call("deleteStoragePool", "id", pool.get("id").asText());
        assertEquals(536, refused.status(), refused.body());
        assertEquals("Cannot delete storage pool busy-pool: it still holds 1 volume(s); delete or move them first",
                refused.response("deleteStoragePool").get("errortext").asText());
        assertTrue(imageExists(id));

        ok(admin.call("deleteVolume", "id", id), "deleteVolume");
        cloud.deletePool(pool.get("id").asText());
    }

    @Test
    void listVolumesPagesAndEachAccountSeesOnlyItsOwn() throws Exception {
        cloud.createdRbdPool("shared-pool", cloud.ceph.limitedUser(), "zone");
        List<String> mine = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            mine.add(createVolume(admin, "name", "page-" + i, "size", "1").get("id").asText());
        }
        JsonNode page1 = ok(admin.call("listVolumes", "page", "1", "pagesize", "2"), "listVolumes");
        assertEquals(3, page1.get("count").asInt());
        assertEquals(List.of("page-1", "page-2"), names(page1.get("volume")));
        JsonNode page2 = ok(admin.call("listVolumes", "page", "2", "pagesize", "2"), "listVolumes");
        assertEquals(3, page2.get("count").asInt());
        assertEquals(List.of("page-3"), names(page2.get("volume")));
        assertEquals(List.of("page-2"), names(list(admin, "listVolumes", "volume", "keyword", "ge-2")));

        ok(admin.call("createAccount", "username", "bob", "password", "bob-password", "email", "bob@example.com",
                "firstname", "Bob", "lastname", "B"), "createAccount");
        ApiClient bob = ApiClient.login(cloud.server.baseUrl(), "bob", "bob-password");
        ok(bob.call("listDiskOfferings"), "listDiskOfferings");
        JsonNode bobs = createVolume(bob, "name", "bobs", "size", "1");
        assertEquals("bob", bobs.get("account").asText());

        assertEquals(List.of("bobs"), names(list(bob, "listVolumes", "volume")));
        assertEquals(List.of("bobs"), names(list(bob, "listVolumes", "volume", "listall", "true")));
        assertEquals(0, list(bob, "listVolumes", "volume", "id", mine.get(0)).size(), "bob can't see the admin's");
        assertEquals(531, bob.call("deleteVolume", "id", mine.get(0)).status());
        assertEquals(531, bob.call("resizeVolume", "id", mine.get(0), "size", "2").status());
        assertTrue(imageExists(mine.get(0)));

        assertEquals(List.of("page-1", "page-2", "page-3"), names(list(admin, "listVolumes", "volume")),
                "without listall an admin sees the own account's");
        assertEquals(List.of("page-1", "page-2", "page-3", "bobs"),
                names(list(admin, "listVolumes", "volume", "listall", "true")));
        assertEquals("bob", list(admin, "listVolumes", "volume", "id", bobs.get("id").asText()).get(0).get("account")
                .asText());
        ok(bob.call("deleteVolume", "id", bobs.get("id").asText()), "deleteVolume");
        assertFalse(imageExists(bobs.get("id").asText()));
    }

    // --- helpers ---

    private static JsonNode offering(String... params) throws Exception {
        return ok(admin.call("createDiskOffering", params), "createDiskOffering").get("diskoffering");
    }

    /** createVolume in the zone, waits for its job to succeed; the volume of the job result. */
    private JsonNode createVolume(ApiClient client, String... params) throws Exception {
        List<String> all = new ArrayList<>(List.of("zoneid", cloud.zoneId));
        all.addAll(List.of(params));
        ApiClient.Reply reply = client.call("createVolume", all.toArray(String[]::new));
        JsonNode started = ok(reply, "createVolume");
        images.add(started.get("id").asText());
        JsonNode volume = finish(client, reply, "createVolume");
        assertEquals(started.get("id").asText(), volume.get("id").asText());
        return volume;
    }

    /** Waits for the job an async command started and returns its volume; the job must succeed. */
    private static JsonNode finish(ApiClient client, ApiClient.Reply reply, String command) throws Exception {
        JsonNode started = ok(reply, command);
        assertNotNull(started.get("id"), reply.body());
        JsonNode job = client.awaitJob(started.get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        return job.get("jobresult").get("volume");
    }

    private static List<JsonNode> list(ApiClient client, String command, String item, String... params)
            throws Exception {
        JsonNode response = ok(client.call(command, params), command);
        List<JsonNode> items = new ArrayList<>();
        if (response.has(item)) {
            response.get(item).forEach(items::add);
        }
        return items;
    }

    private static List<String> names(Iterable<JsonNode> volumes) {
        List<String> names = new ArrayList<>();
        volumes.forEach(v -> names.add(v.get("name").asText()));
        return names;
    }

    private static long allocated(JsonNode pool) throws Exception {
        return list(admin, "listStoragePools", "storagepool", "id", pool.get("id").asText()).get(0)
                .get("disksizeallocated").asLong();
    }

    /**
     * The image as rados-java, librbd's rbd_get_features and the rbd CLI see it: the size, format 2
     * and exactly the five features.
     */
    private static void assertImage(String name, long size) throws Exception {
        // layering 1 + exclusive-lock 4 + object-map 8 + fast-diff 16 + deep-flatten 32
        assertEquals(java.util.Optional.of(new RbdImageInfo(name, size, 2, 61)), new RbdImages(session).info(name));
        Rbd rbd = new Rbd(io);
        RbdImage image = rbd.openReadOnly(name);
        try {
            assertEquals(size, image.stat().size);
            assertFalse(image.isOldFormat());
        } finally {
            rbd.close(image);
        }
        JsonNode info = CephFixture.JSON.readTree(cluster.cli("rbd", "info", "--format", "json",
                cloud.ceph.pool() + "/" + name));
        assertEquals(2, info.get("format").asInt());
        Set<String> features = new TreeSet<>();
        info.get("features").forEach(f -> features.add(f.asText()));
        assertEquals(new TreeSet<>(FIVE_FEATURES), features);
    }

    private static boolean imageExists(String name) throws RbdException {
        return List.of(new Rbd(io).list()).contains(name);
    }

    /** Names of the images in the pool's RBD trash. */
    private static List<String> trash() throws Exception {
        List<String> names = new ArrayList<>();
        CephFixture.JSON.readTree(cluster.cli("rbd", "trash", "ls", "--format", "json", "--pool", cloud.ceph.pool()))
                .forEach(entry -> names.add(entry.get("name").asText()));
        return names;
    }

    private static void purgeFromTrash(String name) throws Exception {
        for (JsonNode entry : CephFixture.JSON.readTree(cluster.cli("rbd", "trash", "ls", "--format", "json", "--pool",
                cloud.ceph.pool()))) {
            if (entry.get("name").asText().equals(name)) {
                cluster.cli("rbd", "trash", "rm", "--pool", cloud.ceph.pool(), "--force", entry.get("id").asText());
            }
        }
    }

    /** The state column of a volume row, removed or not. */
    private static String rowState(String uuid) throws Exception {
        try (Connection c = cloud.db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT state, removed FROM volumes WHERE uuid = ?")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row for volume " + uuid);
                String state = rs.getString(1);
                if (!state.equals("Ready")) {
                    assertNotNull(rs.getTimestamp(2), "a " + state + " volume's row is marked removed");
                }
                return state;
            }
        }
    }

    private static void removeImageIfThere(String name) throws RbdException {
        if (!imageExists(name)) {
            return;
        }
        Rbd rbd = new Rbd(io);
        RbdImage image = rbd.open(name);
        try {
            for (RbdSnapInfo snapshot : image.snapList()) {
                if (image.snapIsProtected(snapshot.name)) {
                    image.snapUnprotect(snapshot.name);
                }
                image.snapRemove(snapshot.name);
            }
        } finally {
            rbd.close(image);
        }
        rbd.remove(name);
    }
}
