package io.rbdstack.server.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import io.rbdstack.server.api.CommandSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The audit trail on a real server and schema: which commands record events, what a sync call and a job
 * record, who sees which events, archiving, deleting, and the purges of old events and finished jobs.
 */
class EventsApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static ApiClient admin;
    static ApiClient alice;
    static String aliceId;

    @BeforeAll
    static void start() throws Exception {
        admin = cloud.admin();
        aliceId = ok(admin.call("createAccount", "username", "alice", "password", "alice-pw", "email",
                "alice@example.com", "firstname", "Alice", "lastname", "A"), "createAccount").get("account")
                .get("user").get(0).get("id").asText();
        alice = ApiClient.login(cloud.baseUrl(), "alice", "alice-pw");
    }

    @Test
    void everyCommandThatChangesStateDeclaresItsEventTypeAndNoListDoes() {
        List<String> wrong = new ArrayList<>();
        for (CommandSpec spec : cloud.management().commands()) {
            boolean readOnly = spec.name().startsWith("list") || spec.name().startsWith("query");
            if (readOnly == spec.recordsEvents()) {
                wrong.add(spec.name() + (readOnly ? " changes nothing but declares " + spec.eventType()
                        : " changes state but declares no event type"));
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(cloud.management().commands().size() > 40, "the walk saw the commands");
    }

    @Test
    void aCallRecordsOneCompletedEventNamingTheResourceAndAFailedOneAnError() throws Exception {
        String zoneId = ok(admin.call("createZone", "name", "audited", "dns1", "8.8.8.8", "internaldns1", "10.0.0.2",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        List<JsonNode> events = events(admin, "type", "ZONE.CREATE", "resourceid", zoneId);
        assertEquals(1, events.size(), events.toString());
        JsonNode event = events.get(0);
        assertEquals("Completed", event.get("state").asText());
        assertEquals("INFO", event.get("level").asText());
        assertEquals("Zone", event.get("resourcetype").asText());
        assertEquals("admin", event.get("username").asText());
        assertEquals("admin", event.get("account").asText());
        assertEquals("ROOT", event.get("domain").asText());
        assertEquals("Successfully completed create zone. Zone Id: " + zoneId, event.get("description").asText());
        assertTrue(event.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}"), event.toString());

        ApiClient.Reply again = admin.call("createZone", "name", "audited", "dns1", "8.8.8.8", "internaldns1",
                "10.0.0.2", "networktype", "Advanced");
        assertEquals(431, again.status());
        JsonNode error = events(admin, "type", "ZONE.CREATE", "level", "ERROR").get(0);
        assertEquals("Completed", error.get("state").asText());
        assertEquals("Error while create zone: A zone with name audited already exists",
                error.get("description").asText());
        // A call refused before it runs (a parameter the binder refuses) changes nothing and records nothing.
        long before = count(admin, "type", "POD.CREATE");
        assertEquals(431, admin.call("createPod", "name", "p", "zoneid", zoneId, "gateway", "not-an-ip", "netmask",
                "255.255.255.0").status());
        assertEquals(before, count(admin, "type", "POD.CREATE"));
        assertEquals(0, count(admin, "type", "LIST.ZONES"));
    }

    @Test
    void aJobRecordsScheduledThenStartedAndCompletedUnderIt() throws Exception {
        String bob = user("bob");
        String jobId = ok(admin.call("disableUser", "id", bob), "disableUser").get("jobid").asText();
        assertEquals(1, admin.awaitJob(jobId).get("jobstatus").asInt());
        List<JsonNode> trail = events(admin, "type", "USER.DISABLE", "resourceid", bob);
        assertEquals(List.of("Completed", "Started", "Scheduled"), trail.stream().map(e -> e.get("state").asText())
                .toList(), "newest first: " + trail);
        String scheduled = trail.get(2).get("id").asText();
        assertFalse(trail.get(2).has("parentid"), trail.get(2).toString());
        assertEquals(scheduled, trail.get(1).get("parentid").asText());
        assertEquals(scheduled, trail.get(0).get("parentid").asText());
        assertEquals("Starting job for disable user. User Id: " + bob, trail.get(1).get("description").asText());
        assertEquals("Successfully completed disable user. User Id: " + bob, trail.get(0).get("description").asText());
        assertEquals(2, count(admin, "startid", scheduled), "startid lists the job's events");
        ok(admin.call("enableUser", "id", bob), "enableUser");
    }

    @Test
    void aUserSeesOnlyItsAccountsEventsAndTouchesNoOthers() throws Exception {
        ok(alice.call("updateUser", "id", aliceId, "firstname", "Alicia"), "updateUser");
        List<JsonNode> own = events(alice, "listall", "true");
        assertFalse(own.isEmpty());
        assertTrue(own.stream().allMatch(e -> e.get("account").asText().equals("alice")), own.toString());
        assertEquals("USER.UPDATE", events(alice, "type", "USER.UPDATE").get(0).get("type").asText());

        assertTrue(events(admin).stream().allMatch(e -> e.get("account").asText().equals("admin")),
                "without listall an admin sees its own");
        assertTrue(events(admin, "listall", "true").stream().anyMatch(e -> e.get("account").asText().equals("alice")),
                "with listall, everyone's");
        JsonNode adminEvent = events(admin).get(0);
        assertEquals(531, alice.call("listEvents", "id", adminEvent.get("id").asText()).status(),
                "another account's event may not be named");
        ApiClient.Reply denied = alice.call("deleteEvents", "ids", adminEvent.get("id").asText());
        assertEquals(531, denied.status(), denied.body());
        assertEquals(1, count(admin, "id", adminEvent.get("id").asText()), "still there");
        // Without ids a user's filter covers its own events only.
        ok(alice.call("archiveEvents", "type", "USER.UPDATE"), "archiveEvents");
        assertEquals(0, count(alice, "type", "USER.UPDATE"));
        assertEquals(1, count(alice, "type", "USER.UPDATE", "archived", "true"));
    }

    @Test
    void loginsAndLogoutsAreRecordedInTheUsersAccountAndAWrongPasswordAsAnErrorWithoutIt() throws Exception {
        String daveId = user("dave");
        ApiClient.Reply refused = ApiClient.anonymous(cloud.baseUrl()).post(java.util.Map.of("command", "login",
                "username", "dave", "password", "not-daves-secret", "response", "json"));
        assertEquals(401, refused.status(), refused.body());
        ApiClient dave = ApiClient.login(cloud.baseUrl(), "dave", "dave-pw");
        ok(dave.call("logout"), "logout");

        List<JsonNode> trail = events(admin, "listall", "true", "resourceid", daveId, "resourcetype", "User");
        List<JsonNode> logins = trail.stream().filter(e -> e.get("type").asText().startsWith("USER.LOG")).toList();
        assertEquals(List.of("USER.LOGOUT INFO", "USER.LOGIN INFO", "USER.LOGIN ERROR"), logins.stream()
                .map(e -> e.get("type").asText() + " " + e.get("level").asText()).toList(), "newest first: " + trail);
        assertTrue(logins.stream().allMatch(e -> e.get("account").asText().equals("dave")
                && e.get("username").asText().equals("dave") && e.get("state").asText().equals("Completed")), trail.toString());
        assertEquals("user has logged out", logins.get(0).get("description").asText());
        assertTrue(logins.get(1).get("description").asText().startsWith("user has logged in from IP Address "),
                logins.get(1).toString());
        assertTrue(logins.get(2).get("description").asText().startsWith("user failed to log in from IP Address "),
                logins.get(2).toString());
        assertTrue(trail.stream().noneMatch(e -> e.toString().contains("not-daves-secret")
                || e.toString().contains("dave-pw")), "no event holds a password: " + trail);
        // A name no user has records nothing anywhere: there is no account to record it in.
        long before = count(admin, "listall", "true", "type", "USER.LOGIN");
        assertEquals(401, ApiClient.anonymous(cloud.baseUrl()).post(java.util.Map.of("command", "login", "username",
                "nobody-at-all", "password", "x", "response", "json")).status());
        assertEquals(before, count(admin, "listall", "true", "type", "USER.LOGIN"));
    }

    @Test
    void archivedEventsLeaveTheListAndDeletedOnesAreGone() throws Exception {
        String a = offering("audit-a");
        String b = offering("audit-b");
        String first = events(admin, "resourceid", a).get(0).get("id").asText();
        ok(admin.call("archiveEvents", "ids", first), "archiveEvents");
        assertEquals(0, count(admin, "resourceid", a));
        assertEquals(1, count(admin, "resourceid", a, "archived", "true"));
        JsonNode archived = events(admin, "id", first).get(0);
        assertTrue(archived.get("archived").asBoolean(), archived.toString());
        assertEquals(1, count(admin, "resourceid", b), "the other stays listed");
        assertEquals(431, admin.call("archiveEvents").status(), "something must say which events");
        ApiClient.Reply unknown = admin.call("deleteEvents", "ids", first + ",00000000-0000-0000-0000-000000000000");
        assertEquals(431, unknown.status(), unknown.body());
        assertEquals(1, count(admin, "resourceid", a, "archived", "true"), "a refused delete deletes nothing");

        ok(admin.call("deleteEvents", "type", "DISK.OFFERING.CREATE", "startdate", "2000-01-01", "enddate",
                "2999-12-31 23:59:59"), "deleteEvents");
        assertEquals(0, count(admin, "resourceid", a, "archived", "true") + count(admin, "resourceid", b));
        assertEquals(431, admin.call("listEvents", "startdate", "yesterday").status());
        // The deletes are in the trail themselves, the refused one as an error.
        assertEquals(1, count(admin, "type", "EVENT.DELETE", "level", "INFO"));
        assertEquals(1, count(admin, "type", "EVENT.DELETE", "level", "ERROR"));
    }

    @Test
    void eventsOlderThanThePurgeDelayAndExpiredJobsArePurged() throws Exception {
        String old = events(admin, "resourceid", offering("purge-old")).get(0).get("id").asText();
        String recent = events(admin, "resourceid", offering("purge-new")).get(0).get("id").asText();
        sql("UPDATE event SET created = DATE_SUB(UTC_TIMESTAMP(), INTERVAL 20 DAY) WHERE uuid = ?", old);

        String carol = user("carol");
        String oldJob = ok(admin.call("disableUser", "id", carol), "disableUser").get("jobid").asText();
        admin.awaitJob(oldJob);
        ok(admin.call("enableUser", "id", carol), "enableUser");
        String recentJob = ok(admin.call("disableUser", "id", carol), "disableUser").get("jobid").asText();
        admin.awaitJob(recentJob);
        sql("UPDATE async_job SET completed = DATE_SUB(UTC_TIMESTAMP(), INTERVAL 2 DAY) WHERE uuid = ?", oldJob);

        ok(admin.call("updateConfiguration", "name", "event.purge.interval", "value", "1"), "updateConfiguration");
        ok(admin.call("updateConfiguration", "name", "job.expire.minutes", "value", "60"), "updateConfiguration");
        // A purged event is gone, so its id names nothing: 431, as for any id that never existed.
        await("the 20 days old event is purged (event.purge.delay 15)",
                () -> admin.call("listEvents", "id", old).status() == 431);
        assertEquals(1, count(admin, "id", recent), "a recent event stays");
        await("the job finished 2 days ago is purged (job.expire.minutes 60)",
                () -> admin.call("queryAsyncJobResult", "jobid", oldJob).status() == 431);
        assertEquals(200, admin.call("queryAsyncJobResult", "jobid", recentJob).status(), "a job finished now stays");
        ok(admin.call("updateConfiguration", "name", "event.purge.interval", "value", "86400"), "updateConfiguration");
    }

    // --- helpers ---

    private static String offering(String name) throws Exception {
        return ok(admin.call("createDiskOffering", "name", name, "disksize", "1"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
    }

    private static String user(String name) throws Exception {
        return ok(admin.call("createAccount", "username", name, "password", name + "-pw", "email", name + "@example.com",
                "firstname", name, "lastname", name), "createAccount").get("account").get("user").get(0).get("id")
                .asText();
    }

    static JsonNode ok(ApiClient.Reply reply, String command) {
        assertEquals(200, reply.status(), command + ": " + reply.body());
        return reply.response(command);
    }

    static List<JsonNode> events(ApiClient client, String... params) throws Exception {
        JsonNode response = ok(client.call("listEvents", params), "listEvents");
        List<JsonNode> events = new ArrayList<>();
        if (response.has("event")) {
            response.get("event").forEach(events::add);
        }
        return events;
    }

    static long count(ApiClient client, String... params) throws Exception {
        return ok(client.call("listEvents", params), "listEvents").path("count").asLong(0);
    }

    private static void sql(String statement, String uuid) throws Exception {
        try (Connection c = cloud.db().connect(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, uuid);
            assertEquals(1, ps.executeUpdate(), statement);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(200);
        }
    }
}
