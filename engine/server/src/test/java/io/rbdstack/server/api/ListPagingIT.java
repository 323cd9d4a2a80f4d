package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import io.rbdstack.server.StagedVolumes;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every list is paged (default.page.size without pagesize and with -1), and its count is the number
 * of rows its filters match, on rows staged in the schema: 30 volumes of the admin and 10 of a user
 * (2 of each deleted), 5 snapshots on each admin volume, 25 async jobs.
 */
class ListPagingIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static ApiClient admin;
    static ApiClient carol;
    static String firstVolume;
    static String zone;

    @BeforeAll
    static void stage() throws Exception {
        admin = cloud.admin();
        StagedVolumes staged = new StagedVolumes(cloud.db());
        assertEquals(200, admin.call("createAccount", "username", "carol", "password", "carol-password", "email",
                "c@example.com", "firstname", "C", "lastname", "C").status());
        carol = ApiClient.login(cloud.baseUrl(), "carol", "carol-password");
        long carolAccount = staged.accountId("carol");
        for (int i = 0; i < 30; i++) {
            String volume = staged.volume(1, "vol-" + i, i < 2 ? "Destroyed" : "Ready");
            firstVolume = i == 2 ? volume : firstVolume;
        }
        for (int i = 0; i < 10; i++) {
            staged.volume(carolAccount, "carol-" + i, i < 2 ? "Expunged" : "Ready");
        }
        try (Connection c = cloud.db().connect(); Statement s = c.createStatement()) {
            s.execute("UPDATE volumes SET removed = UTC_TIMESTAMP() WHERE state IN ('Destroyed', 'Expunged')");
            // Five snapshots on each live admin volume, one second apart; the first of each HOURLY, the
            // second DAILY, the others MANUAL; one destroyed per volume.
            for (int k = 0; k < 5; k++) {
                String type = k == 0 ? "HOURLY" : k == 1 ? "DAILY" : "MANUAL";
                s.execute("INSERT INTO snapshots (uuid, name, volume_id, account_id, domain_id, data_center_id,"
                        + " snapshot_type, size, status, hypervisor_type, created, removed) SELECT UUID(),"
                        + " CONCAT('snap-', v.name, '-" + k + "'), v.id, v.account_id, v.domain_id, v.data_center_id, '"
                        + type + "', v.size, '" + (k == 4 ? "Destroyed" : "CreatedOnPrimary") + "', 'KVM',"
                        + " UTC_TIMESTAMP() - INTERVAL (v.id * 10 + " + k + ") SECOND, "
                        + (k == 4 ? "UTC_TIMESTAMP()" : "NULL") + " FROM volumes v WHERE v.account_id = 1"
                        + " AND v.removed IS NULL");
            }
            for (int j = 0; j < 25; j++) {
                s.execute("INSERT INTO async_job (uuid, user_id, account_id, cmd, job_status, job_result_type,"
                        + " job_result, executing_msid, created, last_updated, completed) SELECT UUID(), u.id,"
                        + " u.account_id, 'createVolume', 1, 'object', '{}', 0, UTC_TIMESTAMP(), UTC_TIMESTAMP(),"
                        + " UTC_TIMESTAMP() FROM user u WHERE u.username = '" + (j < 20 ? "admin" : "carol") + "'");
            }
            try (var rs = s.executeQuery("SELECT uuid FROM data_center WHERE name = 'staged'")) {
                rs.next();
                zone = rs.getString(1);
            }
        }
    }

    @AfterEach
    void defaultPageSizeBack() throws Exception {
        admin.call("updateConfiguration", "name", "default.page.size", "value", "500");
    }

    private static JsonNode response(ApiClient client, String command, String... params) throws Exception {
        ApiClient.Reply reply = client.call(command, params);
        assertEquals(200, reply.status(), reply.body());
        return reply.response(command);
    }

    private static List<String> ids(JsonNode response, String item) {
        List<String> ids = new ArrayList<>();
        response.path(item).forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }

    private static void assertPage(JsonNode response, String item, int size, long count) {
        assertEquals(size, response.path(item).size(), response.toString());
        assertEquals(count, response.path("count").asLong(0), response.toString());
    }

    @Test
    void withoutPageSizeOrWithMinusOneAListReturnsDefaultPageSizeRowsAndTheirCount() throws Exception {
        assertPage(response(admin, "listVolumes", "listall", "true"), "volume", 36, 36);
        assertEquals(200, admin.call("updateConfiguration", "name", "default.page.size", "value", "7").status());
        assertPage(response(admin, "listVolumes", "listall", "true"), "volume", 7, 36);
        assertPage(response(admin, "listVolumes", "listall", "true", "pagesize", "-1"), "volume", 7, 36);
        assertPage(response(admin, "listVolumes", "listall", "true", "pagesize", "-1", "page", "6"), "volume", 1, 36);
        assertPage(response(admin, "listSnapshots", "listall", "true"), "snapshot", 7, 112);
        assertPage(response(admin, "listAsyncJobs", "listall", "true"), "asyncjobs", 7, 25);
        assertPage(response(admin, "listVolumes", "listall", "true", "pagesize", "20"), "volume", 20, 36);
        assertEquals(431, admin.call("listVolumes", "pagesize", "501").status());
        assertEquals(431, admin.call("listVolumes", "pagesize", "0").status());
    }

    @Test
    void pagesSplitTheRowsInOrderWithoutOverlap() throws Exception {
        Set<String> seen = new HashSet<>();
        List<String> inOrder = new ArrayList<>();
        for (int page = 1; page <= 12; page++) {
            JsonNode response = response(admin, "listSnapshots", "listall", "true", "page", String.valueOf(page),
                    "pagesize", "10");
            assertEquals(112, response.get("count").asLong());
            for (String id : ids(response, "snapshot")) {
                assertTrue(seen.add(id), "snapshot " + id + " on two pages");
                inOrder.add(id);
            }
        }
        assertEquals(112, seen.size());
        List<String> created = new ArrayList<>();
        response(admin, "listSnapshots", "listall", "true", "pagesize", "500").get("snapshot")
                .forEach(s -> created.add(s.get("id").asText()));
        assertEquals(created, inOrder, "the same order page by page as in one page");
        JsonNode newest = response(admin, "listSnapshots", "listall", "true", "pagesize", "2").get("snapshot");
        assertTrue(newest.get(0).get("created").asText().compareTo(newest.get(1).get("created").asText()) >= 0,
                "newest first");

        Set<String> volumes = new HashSet<>();
        for (int page = 1; page <= 4; page++) {
            volumes.addAll(ids(response(admin, "listVolumes", "listall", "true", "page", String.valueOf(page),
                    "pagesize", "10"), "volume"));
        }
        assertEquals(36, volumes.size());
    }

    @Test
    void countsAreTheRowsTheFiltersMatch() throws Exception {
        assertPage(response(admin, "listVolumes"), "volume", 28, 28);
        assertPage(response(carol, "listVolumes", "listall", "true"), "volume", 8, 8);
        assertPage(response(admin, "listVolumes", "listall", "true", "name", "vol-7"), "volume", 1, 1);
        assertPage(response(admin, "listVolumes", "listall", "true", "keyword", "vol-1"), "volume", 10, 10);
        assertPage(response(admin, "listVolumes", "listall", "true", "keyword", "vol-1", "pagesize", "3"), "volume",
                3, 10);
        assertPage(response(admin, "listVolumes", "listall", "true", "zoneid", zone), "volume", 36, 36);
        assertPage(response(admin, "listVolumes", "listall", "true", "name", "vol-0"), "volume", 0, 0);

        assertPage(response(admin, "listSnapshots", "volumeid", firstVolume), "snapshot", 4, 4);
        assertPage(response(admin, "listSnapshots", "listall", "true", "snapshottype", "MANUAL"), "snapshot", 56, 56);
        assertPage(response(admin, "listSnapshots", "listall", "true", "snapshottype", "RECURRING"), "snapshot", 56,
                56);
        assertPage(response(admin, "listSnapshots", "listall", "true", "snapshottype", "HOURLY"), "snapshot", 28, 28);
        assertPage(response(admin, "listSnapshots", "listall", "true", "intervaltype", "DAILY"), "snapshot", 28, 28);
        assertPage(response(admin, "listSnapshots", "listall", "true", "snapshottype", "RECURRING", "intervaltype",
                "DAILY", "volumeid", firstVolume), "snapshot", 1, 1);
        assertPage(response(admin, "listSnapshots", "listall", "true", "snapshottype", "MANUAL", "intervaltype",
                "DAILY"), "snapshot", 0, 0);
        assertPage(response(admin, "listSnapshots", "listall", "true", "name", "snap-vol-7-2"), "snapshot", 1, 1);
        // vol-2 and vol-20 … vol-29, four live snapshots each.
        assertPage(response(admin, "listSnapshots", "listall", "true", "keyword", "vol-2", "pagesize", "5"), "snapshot",
                5, 44);
        assertPage(response(admin, "listSnapshots", "listall", "true", "zoneid", zone, "pagesize", "3"), "snapshot", 3,
                112);
        assertPage(response(carol, "listSnapshots", "listall", "true"), "snapshot", 0, 0);

        assertPage(response(admin, "listAsyncJobs"), "asyncjobs", 20, 20);
        assertPage(response(carol, "listAsyncJobs", "listall", "true"), "asyncjobs", 5, 5);
        assertPage(response(admin, "listAsyncJobs", "listall", "true", "pagesize", "10", "page", "3"), "asyncjobs", 5,
                25);
    }
}
