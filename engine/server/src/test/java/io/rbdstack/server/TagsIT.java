package io.rbdstack.server;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * createTags, listTags, deleteTags on volumes, snapshots and storage pools, and the tags filter and field of
 * their list commands, against the real DB (the tagged rows are staged: tags need no storage).
 */
class TagsIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static ApiClient alice;
    static ApiClient bob;
    static String pool;

    @BeforeAll
    static void start() throws Exception {
        alice = user("alice");
        bob = user("bob");
        String zone = ok(cloud.admin().call("createZone", "name", "tag-zone", "dns1", "8.8.8.8", "internaldns1",
                "10.0.0.2", "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        pool = UUID.randomUUID().toString();
        cloud.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                + " host_address, path, status, created) SELECT '" + pool + "', 'tag-pool', 'RBD', 'ZONE', id, 'RBD',"
                + " 'mon', 'rbd', 'Maintenance', UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
    }

    @Test
    void tagsAreCreatedListedFilteredOnAndShownOnTheirVolumes() throws Exception {
        String prod = volume("alice", "prod-vol");
        String test = volume("alice", "test-vol");
        String plain = volume("alice", "plain-vol");
        tag(alice, "Volume", prod, "env", "prod", "team", "storage");
        tag(alice, "volume", test, "env", "test");

        JsonNode tags = ok(alice.call("listTags", "resourceid", prod), "listTags");
        assertEquals(2, tags.get("count").asInt());
        JsonNode env = tags.get("tag").get(0);
        assertEquals("env", env.get("key").asText());
        assertEquals("prod", env.get("value").asText());
        assertEquals("Volume", env.get("resourcetype").asText());
        assertEquals(prod, env.get("resourceid").asText());
        assertEquals("alice", env.get("account").asText());
        assertEquals("ROOT", env.get("domain").asText());

        assertEquals(List.of(prod), ids(ok(alice.call("listVolumes", "tags[0].key", "env", "tags[0].value", "prod"),
                "listVolumes"), "volume"));
        assertEquals(List.of(prod, test), ids(ok(alice.call("listVolumes", "tags[0].key", "env", "tags[0].value",
                "prod", "tags[1].key", "env", "tags[1].value", "test"), "listVolumes"), "volume"),
                "a volume with any of the given tags, as CloudStack filters");
        assertEquals(List.of(), ids(ok(alice.call("listVolumes", "tags[0].key", "env", "tags[0].value", "dev"),
                "listVolumes"), "volume"));
        JsonNode listed = ok(alice.call("listVolumes", "id", prod), "listVolumes").get("volume").get(0);
        assertEquals(2, listed.get("tags").size());
        assertEquals("team", listed.get("tags").get(1).get("key").asText());
        assertEquals(0, ok(alice.call("listVolumes", "id", plain), "listVolumes").get("volume").get(0).get("tags")
                .size());
    }

    @Test
    void snapshotPoliciesCarryTagsFromCreateTagsOrTheirOwnCreateAndLoseThemWithThePolicy() throws Exception {
        String volume = volume("alice", "policy-vol");
        JsonNode created = ok(alice.call("createSnapshotPolicy", "volumeid", volume, "intervaltype", "DAILY",
                "schedule", "00:01", "timezone", "UTC", "maxsnaps", "2", "tags[0].key", "tier", "tags[0].value", "gold"),
                "createSnapshotPolicy").get("snapshotpolicy");
        String policy = created.get("id").asText();
        assertEquals("tier=gold", pairs(created));
        tag(alice, "SnapshotPolicy", policy, "owner", "ops");
        JsonNode listed = ok(alice.call("listSnapshotPolicies", "id", policy), "listSnapshotPolicies")
                .get("snapshotpolicy").get(0);
        assertEquals("tier=gold owner=ops", pairs(listed));
        JsonNode tags = ok(alice.call("listTags", "resourcetype", "SnapshotPolicy"), "listTags");
        assertEquals(2, tags.get("count").asInt(), tags.toString());
        assertEquals(policy, tags.get("tag").get(0).get("resourceid").asText());
        assertEquals("alice", tags.get("tag").get(0).get("account").asText());
        assertRefused(bob.call("createTags", "resourceids", policy, "resourcetype", "SnapshotPolicy", "tags[0].key",
                "x", "tags[0].value", "y"), 531, "does not have permission");

        // createSnapshotPolicy of the same interval replaces the policy, and its tags with the ones given.
        JsonNode replaced = ok(alice.call("createSnapshotPolicy", "volumeid", volume, "intervaltype", "DAILY",
                "schedule", "00:02", "timezone", "UTC", "maxsnaps", "2", "tags[0].key", "tier", "tags[0].value",
                "silver"), "createSnapshotPolicy").get("snapshotpolicy");
        assertEquals(policy, replaced.get("id").asText());
        assertEquals("tier=silver", pairs(replaced));

        ok(alice.call("deleteSnapshotPolicies", "id", policy), "deleteSnapshotPolicies");
        assertEquals(0, ok(alice.call("listTags", "resourcetype", "SnapshotPolicy"), "listTags").path("count").asInt(0));
        assertEquals(0, cloud.count("SELECT COUNT(*) FROM resource_tags WHERE resource_type = 'SnapshotPolicy'"),
                "the rows went with the policy");
    }

    /** "key=value key=value" of a response object's tags, in order. */
    private static String pairs(JsonNode item) {
        List<String> pairs = new ArrayList<>();
        item.get("tags").forEach(t -> pairs.add(t.get("key").asText() + "=" + t.get("value").asText()));
        return String.join(" ", pairs);
    }

    @Test
    void refusalsNameWhatIsWrong() throws Exception {
        String mine = volume("alice", "refusal-vol");
        tag(alice, "Volume", mine, "k", "v");
        assertRefused(alice.call("createTags", "resourceids", mine, "resourcetype", "Volume", "tags[0].key", "k",
                "tags[0].value", "other"), 431, "A tag with key k already exists on Volume " + mine);
        assertRefused(alice.call("createTags", "resourceids", mine, "resourcetype", "Volume", "tags[0].key", "e",
                "tags[0].value", ""), 431, "Value for the key e is either null or empty");
        String never = UUID.randomUUID().toString();
        assertRefused(alice.call("createTags", "resourceids", never, "resourcetype", "Volume", "tags[0].key", "a",
                "tags[0].value", "b"), 431, "Unable to find resource by id " + never + " and type Volume");
        assertRefused(alice.call("createTags", "resourceids", mine, "resourcetype", "UserVm", "tags[0].key", "a",
                "tags[0].value", "b"), 431, "Invalid resource type UserVm");
        assertRefused(bob.call("createTags", "resourceids", mine, "resourcetype", "Volume", "tags[0].key", "a",
                "tags[0].value", "b"), 531, "does not have permission");
        assertRefused(bob.call("deleteTags", "resourceids", mine, "resourcetype", "Volume"), 531,
                "does not have permission");
        assertEquals(0, ok(bob.call("listTags", "resourceid", mine), "listTags").size(), "bob sees only his own");
        assertRefused(alice.call("createTags", "resourceids", pool, "resourcetype", "StoragePool", "tags[0].key", "a",
                "tags[0].value", "b"), 531, "does not have permission", "pools are the admin's");
    }

    @Test
    void deleteTagsByKeyByKeyAndValueOrAll() throws Exception {
        String volume = volume("alice", "delete-vol");
        tag(alice, "Volume", volume, "a", "1", "b", "2", "c", "3");
        awaitOk(alice, alice.call("deleteTags", "resourceids", volume, "resourcetype", "Volume", "tags[0].key", "b",
                "tags[0].value", "not-2"), "deleteTags");
        assertEquals(3, ok(alice.call("listTags", "resourceid", volume), "listTags").get("count").asInt(),
                "a value that does not match deletes nothing");
        awaitOk(alice, alice.call("deleteTags", "resourceids", volume, "resourcetype", "Volume", "tags[0].key", "b"),
                "deleteTags");
        assertEquals(List.of("a", "c"), keys(ok(alice.call("listTags", "resourceid", volume), "listTags")));
        awaitOk(alice, alice.call("deleteTags", "resourceids", volume, "resourcetype", "Volume"), "deleteTags");
        assertEquals(0, ok(alice.call("listTags", "resourceid", volume), "listTags").size());
    }

    @Test
    void snapshotsAndStoragePoolsCarryTagsToo() throws Exception {
        String volume = volume("alice", "snap-source");
        String snapshot = UUID.randomUUID().toString();
        cloud.execute("INSERT INTO snapshots (uuid, name, volume_id, account_id, domain_id, data_center_id, snapshot_type,"
                + " size, status, hypervisor_type, created) SELECT '" + snapshot + "', 'tagged-snap', id, account_id,"
                + " domain_id, data_center_id, 'MANUAL', 1073741824, 'CreatedOnPrimary', 'KVM', UTC_TIMESTAMP()"
                + " FROM volumes WHERE uuid = '" + volume + "'");
        tag(alice, "Snapshot", snapshot, "keep", "forever");
        JsonNode listed = ok(alice.call("listSnapshots", "tags[0].key", "keep", "tags[0].value", "forever"),
                "listSnapshots");
        assertEquals(1, listed.get("count").asInt());
        assertEquals("forever", listed.get("snapshot").get(0).get("tags").get(0).get("value").asText());

        tag(cloud.admin(), "Storage", pool, "rack", "r1");
        JsonNode pools = ok(cloud.admin().call("listStoragePools", "tags[0].key", "rack", "tags[0].value", "r1"),
                "listStoragePools");
        assertEquals(1, pools.get("count").asInt());
        assertEquals(pool, pools.get("storagepool").get(0).get("id").asText());
        assertEquals("StoragePool", ok(cloud.admin().call("listTags", "resourceid", pool), "listTags").get("tag")
                .get(0).get("resourcetype").asText());
        assertEquals(0, ok(cloud.admin().call("listStoragePools", "tags[0].key", "rack", "tags[0].value", "r2"),
                "listStoragePools").size());
    }

    @Test
    void tagsOfADeletedResourceAreNoLongerListed() throws Exception {
        String volume = volume("alice", "going-vol");
        tag(alice, "Volume", volume, "soon", "gone");
        cloud.execute("UPDATE volumes SET removed = UTC_TIMESTAMP(), state = 'Expunged' WHERE uuid = '" + volume + "'");
        assertEquals(0, ok(alice.call("listTags", "key", "soon"), "listTags").size());
    }

    private static void tag(ApiClient client, String type, String id, String... keyValues) throws Exception {
        List<String> params = new ArrayList<>(List.of("resourceids", id, "resourcetype", type));
        for (int i = 0; i < keyValues.length; i += 2) {
            params.addAll(List.of("tags[" + i / 2 + "].key", keyValues[i], "tags[" + i / 2 + "].value",
                    keyValues[i + 1]));
        }
        awaitOk(client, client.call("createTags", params.toArray(String[]::new)), "createTags");
    }

    private static void awaitOk(ApiClient client, ApiClient.Reply reply, String command) throws Exception {
        JsonNode job = client.awaitJob(ok(reply, command).get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
    }

    private static void assertRefused(ApiClient.Reply reply, int code, String text, String... why) {
        assertEquals(code, reply.status(), String.join(" ", why) + " " + reply.body());
        assertTrue(reply.body().contains(text), reply.body());
    }

    private static String volume(String account, String name) throws Exception {
        String uuid = UUID.randomUUID().toString();
        cloud.execute("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type, size,"
                + " state, created) SELECT '" + uuid + "', '" + name + "', a.id, a.domain_id, p.data_center_id, p.id,"
                + " 'DATADISK', 1073741824, 'Ready', UTC_TIMESTAMP() FROM account a JOIN storage_pool p"
                + " ON p.name = 'tag-pool' WHERE a.account_name = '" + account + "'");
        return uuid;
    }

    private static ApiClient user(String name) throws Exception {
        ok(cloud.admin().call("createAccount", "username", name, "password", "pw-" + name, "email", name + "@x.org",
                "firstname", "F", "lastname", "L"), "createAccount");
        return ApiClient.login(cloud.baseUrl(), name, "pw-" + name);
    }

    private static List<String> ids(JsonNode list, String item) {
        List<String> ids = new ArrayList<>();
        if (list.has(item)) {
            list.get(item).forEach(n -> ids.add(n.get("id").asText()));
        }
        return ids;
    }

    private static List<String> keys(JsonNode list) {
        List<String> keys = new ArrayList<>();
        list.get("tag").forEach(n -> keys.add(n.get("key").asText()));
        return keys;
    }
}
