package io.rbdstack.server.snapshot.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import io.rbdstack.server.StagedVolumes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The snapshot policy commands over the API: CloudStack's fields, replacement per interval, refusals, access. */
class SnapshotPolicyApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static StagedVolumes staged;
    static ApiClient admin;
    static ApiClient bob;
    static long bobAccount;

    @BeforeAll
    static void accounts() throws Exception {
        staged = new StagedVolumes(cloud.db());
        admin = cloud.admin();
        assertEquals(200, admin.call("createAccount", "username", "bob", "password", "bob-password", "email",
                "bob@example.com", "firstname", "B", "lastname", "B").status());
        bob = ApiClient.login(cloud.baseUrl(), "bob", "bob-password");
        bobAccount = staged.accountId("bob");
    }

    private static JsonNode create(ApiClient client, String volume, String interval, String schedule, String... more)
            throws Exception {
        List<String> params = new ArrayList<>(List.of("volumeid", volume, "intervaltype", interval, "schedule",
                schedule, "timezone", "Europe/Berlin", "maxsnaps", "3"));
        params.addAll(List.of(more));
        ApiClient.Reply reply = client.call("createSnapshotPolicy", params.toArray(String[]::new));
        assertEquals(200, reply.status(), reply.body());
        return reply.response("createSnapshotPolicy").get("snapshotpolicy");
    }

    private static String refusal(ApiClient client, int status, String command, String... params) throws Exception {
        ApiClient.Reply reply = client.call(command, params);
        assertEquals(status, reply.status(), reply.body());
        return reply.response(command).get("errortext").asText();
    }

    private static void assertContains(String expected, String text) {
        assertTrue(text.contains(expected), "expected '" + expected + "' in: " + text);
    }

    private static List<JsonNode> list(ApiClient client, String... params) throws Exception {
        JsonNode response = client.call("listSnapshotPolicies", params).response("listSnapshotPolicies");
        List<JsonNode> items = new ArrayList<>();
        response.path("snapshotpolicy").forEach(items::add);
        assertEquals(response.path("count").asInt(0), items.size(), response.toString());
        return items;
    }

    private static Instant nextRun(String policy) throws Exception {
        try (Connection c = cloud.db().connect();
             PreparedStatement ps = c.prepareStatement("SELECT next_run FROM snapshot_policy WHERE uuid = ?")) {
            ps.setString(1, policy);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no policy " + policy);
                Timestamp t = rs.getTimestamp(1);
                return t == null ? null : t.toInstant();
            }
        }
    }

    @Test
    void aPolicyShowsCloudStacksFieldsAndIsReplacedByOneOfTheSameInterval() throws Exception {
        String volume = staged.volume(1, "data-a", "Ready");
        JsonNode policy = create(admin, volume, "daily", "30:02");
        String id = policy.get("id").asText();
        assertEquals(volume, policy.get("volumeid").asText());
        assertEquals("30:02", policy.get("schedule").asText());
        assertEquals(1, policy.get("intervaltype").asInt(), "DAILY is 1, as CloudStack numbers intervals");
        assertEquals(3, policy.get("maxsnaps").asInt());
        assertEquals("Europe/Berlin", policy.get("timezone").asText());
        assertTrue(policy.get("fordisplay").asBoolean());
        assertTrue(policy.get("tags").isArray());
        Instant next = nextRun(id);
        assertTrue(next.isAfter(Instant.now()) && next.isBefore(Instant.now().plusSeconds(86_400 + 3600)), "" + next);

        JsonNode replaced = create(admin, volume, "DAILY", "00:04", "maxsnaps", "5");
        assertEquals(id, replaced.get("id").asText(), "one policy per volume and interval: the same one, changed");
        assertEquals("00:04", replaced.get("schedule").asText());
        assertEquals(5, replaced.get("maxsnaps").asInt());
        String weekly = create(admin, volume, "WEEKLY", "00:04:1").get("id").asText();

        List<JsonNode> ofVolume = list(admin, "volumeid", volume);
        assertEquals(List.of(id, weekly), ofVolume.stream().map(p -> p.get("id").asText()).toList());
        assertEquals(List.of(weekly), list(admin, "id", weekly).stream().map(p -> p.get("id").asText()).toList());
        assertEquals(2, list(admin, "keyword", "ata-a").size(), "keyword: part of the volume's name");
        assertEquals(0, list(admin, "keyword", "no-such").size());
    }

    /** createSnapshotPolicy's 431 text for a daily policy of {@code volume} with {@code changes} (name, value pairs). */
    private static String refusedCreate(String volume, String... changes) throws Exception {
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>(java.util.Map.of("volumeid", volume,
                "intervaltype", "DAILY", "schedule", "00:01", "timezone", "UTC", "maxsnaps", "1"));
        for (int i = 0; i < changes.length; i += 2) {
            params.put(changes[i], changes[i + 1]);
        }
        List<String> pairs = new ArrayList<>();
        params.forEach((name, value) -> pairs.addAll(List.of(name, value)));
        return refusal(admin, 431, "createSnapshotPolicy", pairs.toArray(String[]::new));
    }

    @Test
    void malformedPoliciesAreRefusedNamingTheParameter() throws Exception {
        String volume = staged.volume(1, "data-b", "Ready");
        assertContains("invalid schedule [60] for interval type [HOURLY]: the minute must be 0 to 59, not 60"
                + " (parameter schedule)", refusedCreate(volume, "intervaltype", "HOURLY", "schedule", "60"));
        assertContains("the day of the month must be 1 to 28",
                refusedCreate(volume, "intervaltype", "MONTHLY", "schedule", "00:01:31"));
        assertContains("unknown time zone 'Mars/Olympus'", refusedCreate(volume, "timezone", "Mars/Olympus"));
        assertContains("parameter intervaltype", refusedCreate(volume, "intervaltype", "YEARLY"));
        assertContains("parameter maxsnaps", refusedCreate(volume, "maxsnaps", "0"));
        assertContains("maxSnaps [9] for volume data-b exceeds limit [8] for interval type [DAILY]",
                refusedCreate(volume, "maxsnaps", "9"));
        assertContains("Value for the key k is either null or empty (parameter tags)", refusedCreate(volume,
                "tags[0].key", "k", "tags[0].value", ""));
        String allocated = staged.volume(1, "data-c", "Allocated");
        assertContains("is not in Ready state but Allocated", refusedCreate(allocated));
        assertEquals(0, list(admin, "listall", "true", "keyword", "data-b").size(), "nothing was saved");
    }

    @Test
    void aLimitOfTheIntervalBoundsMaxsnapsAndZeroForbidsTheInterval() throws Exception {
        String volume = staged.volume(1, "data-d", "Ready");
        assertEquals(200, admin.call("updateConfiguration", "name", "snapshot.max.weekly", "value", "0").status());
        try {
            assertContains("exceeds limit [0]", refusedCreate(volume, "intervaltype", "WEEKLY", "schedule", "00:01:2"));
        } finally {
            admin.call("updateConfiguration", "name", "snapshot.max.weekly", "value", "8");
        }
    }

    @Test
    void maxsnapsOverTheOwnersSnapshotLimitIsRefusedUnlessThePolicyIsHiddenOrTheOwnerARootAdmin() throws Exception {
        assertEquals(200, admin.call("createAccount", "username", "lim", "password", "lim-password", "email",
                "lim@example.com", "firstname", "L", "lastname", "L").status());
        ApiClient lim = ApiClient.login(cloud.baseUrl(), "lim", "lim-password");
        String volume = staged.volume(staged.accountId("lim"), "lim-data", "Ready");
        String root = admin.call("listDomains", "name", "ROOT").response("listDomains").get("domain").get(0)
                .get("id").asText();
        assertEquals(200, admin.call("updateResourceLimit", "account", "lim", "domainid", root, "resourcetype", "3",
                "max", "2").status());
        ApiClient.Reply over = lim.call("createSnapshotPolicy", "volumeid", volume, "intervaltype", "DAILY",
                "schedule", "00:01", "timezone", "UTC", "maxsnaps", "3");
        assertEquals(431, over.status(), over.body());
        assertEquals("Max number of snapshots shouldn't exceed the domain/account level snapshot limit (parameter"
                + " maxsnaps)", over.response("createSnapshotPolicy").get("errortext").asText());
        assertTrue(list(admin, "volumeid", volume).isEmpty(), "nothing saved");
        ApiClient.Reply atLimit = lim.call("createSnapshotPolicy", "volumeid", volume, "intervaltype", "DAILY",
                "schedule", "00:01", "timezone", "UTC", "maxsnaps", "2");
        assertEquals(200, atLimit.status(), "up to the limit is fine: " + atLimit.body());
        assertEquals(3, create(admin, volume, "HOURLY", "01", "fordisplay", "false").get("maxsnaps").asInt(),
                "a hidden policy takes no snapshots, so the limit does not bind it");

        assertEquals(200, admin.call("updateConfiguration", "name", "max.account.snapshots", "value", "1").status());
        try {
            String admins = staged.volume(1, "admin-many", "Ready");
            assertEquals(3, create(admin, admins, "DAILY", "00:01").get("maxsnaps").asInt(),
                    "root admins have no snapshot limit");
        } finally {
            admin.call("updateConfiguration", "name", "max.account.snapshots", "value", "20");
        }
    }

    @Test
    void usersSeeAndChangeOnlyTheirOwnPolicies() throws Exception {
        String mine = staged.volume(bobAccount, "bob-data", "Ready");
        String admins = staged.volume(1, "admin-data", "Ready");
        String bobs = create(bob, mine, "HOURLY", "15").get("id").asText();
        assertFalse(create(bob, mine, "DAILY", "15:03").has("fordisplay"), "fordisplay is for root admins");
        String adminsPolicy = create(admin, admins, "HOURLY", "15").get("id").asText();

        assertEquals(531, bob.call("createSnapshotPolicy", "volumeid", admins, "intervaltype", "DAILY", "schedule",
                "00:01", "timezone", "UTC", "maxsnaps", "1").status());
        assertEquals(531, bob.call("listSnapshotPolicies", "id", adminsPolicy).status());
        assertEquals(531, bob.call("deleteSnapshotPolicies", "ids", bobs + "," + adminsPolicy).status());
        assertEquals(531, bob.call("updateSnapshotPolicy", "id", adminsPolicy).status());
        List<String> bobSees = list(bob, "listall", "true").stream().map(p -> p.get("volumeid").asText()).toList();
        assertEquals(List.of(mine, mine), bobSees, "a user lists its own account's policies only");
        assertEquals(2, list(admin, "volumeid", mine).size(), "a root admin sees another account's by volume");
        assertNotNull(nextRun(bobs));
    }

    @Test
    void aHiddenPolicyTakesNoSnapshotsAndIsListedOnlyWhenAskedFor() throws Exception {
        String volume = staged.volume(1, "data-e", "Ready");
        String id = create(admin, volume, "HOURLY", "45").get("id").asText();
        JsonNode hidden = admin.awaitJob(admin.call("updateSnapshotPolicy", "id", id, "fordisplay", "false")
                .response("updateSnapshotPolicy").get("jobid").asText());
        assertEquals(1, hidden.get("jobstatus").asInt(), hidden.toString());
        assertFalse(hidden.get("jobresult").get("snapshotpolicy").get("fordisplay").asBoolean());
        assertNull(nextRun(id), "no next run");
        assertEquals(0, list(admin, "volumeid", volume).size(), "CloudStack lists shown policies by default");
        assertEquals(1, list(admin, "volumeid", volume, "fordisplay", "false").size());

        admin.awaitJob(admin.call("updateSnapshotPolicy", "id", id, "fordisplay", "true")
                .response("updateSnapshotPolicy").get("jobid").asText());
        assertTrue(nextRun(id).isAfter(Instant.now()));
        assertEquals(1, list(admin, "volumeid", volume).size());

        String custom = "7e5b4a1c-0000-4000-8000-00000000c0de";
        JsonNode renamed = admin.awaitJob(admin.call("updateSnapshotPolicy", "id", id, "customid", custom)
                .response("updateSnapshotPolicy").get("jobid").asText());
        assertEquals(custom, renamed.get("jobresult").get("snapshotpolicy").get("id").asText());
    }

    @Test
    void policiesAreDeletedByIdOrByAListOfIds() throws Exception {
        String volume = staged.volume(1, "data-f", "Ready");
        String hourly = create(admin, volume, "HOURLY", "01").get("id").asText();
        String daily = create(admin, volume, "DAILY", "01:01").get("id").asText();
        String weekly = create(admin, volume, "WEEKLY", "01:01:7").get("id").asText();

        assertEquals("No policy id (or list of ids) specified.", refusal(admin, 431, "deleteSnapshotPolicies"));
        String nothing = "5d1c5a0e-0000-4000-8000-000000000000";
        assertContains("Invalid parameter ids value=" + nothing + " due to incorrect long value format, or entity"
                + " does not exist", refusal(admin, 431, "deleteSnapshotPolicies", "ids", hourly + "," + nothing));
        assertEquals(3, list(admin, "volumeid", volume).size(), "a refused call deletes none");

        assertTrue(admin.call("deleteSnapshotPolicies", "id", hourly).response("deleteSnapshotPolicies")
                .get("success").asBoolean());
        assertTrue(admin.call("deleteSnapshotPolicies", "ids", daily + ", " + weekly)
                .response("deleteSnapshotPolicies").get("success").asBoolean());
        assertEquals(0, list(admin, "volumeid", volume).size());
    }

    @Test
    void aSnapshotForAPolicyOfAnotherVolumeIsRefused() throws Exception {
        String one = staged.volume(1, "data-g", "Ready");
        String other = staged.volume(1, "data-h", "Ready");
        String policy = create(admin, one, "HOURLY", "05").get("id").asText();
        assertContains("is a policy of volume data-g, not of volume data-h (parameter policyid)",
                refusal(admin, 431, "createSnapshot", "volumeid", other, "policyid", policy));
    }
}
