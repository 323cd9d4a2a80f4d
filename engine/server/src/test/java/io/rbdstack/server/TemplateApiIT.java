package io.rbdstack.server;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The template commands against the real DB, without storage: CloudStack's parameters, fields and
 * templatefilter rules; an import with no pool to go to fails and says so. (The import itself is
 * tested end to end by agent-kvm's TemplatesIT.)
 */
class TemplateApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static ApiClient user;
    static String zone;

    @BeforeAll
    static void start() throws Exception {
        ok(cloud.admin().call("createAccount", "username", "tia", "password", "tia-pw", "email", "t@example.com",
                "firstname", "T", "lastname", "A"), "createAccount");
        user = ApiClient.login(cloud.baseUrl(), "tia", "tia-pw");
        zone = ok(cloud.admin().call("createZone", "name", "tz", "dns1", "10.0.0.2", "internaldns1", "10.0.0.3",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
    }

    @Test
    void aRegisteredTemplateIsNotReadyThenFailsWhenTheZoneHasNoPool() throws Exception {
        JsonNode registered = register(cloud.admin(), "no-pool", "zoneid", zone, "checksum",
                "{sha256}" + "AB".repeat(32), "ostypeid", "os-1", "isextractable", "true", "passwordenabled", "true");
        assertFalse(registered.get("isready").asBoolean());
        assertEquals("no-pool", registered.get("name").asText());
        assertEquals("no-pool template", registered.get("displaytext").asText());
        assertEquals("QCOW2", registered.get("format").asText());
        assertEquals("KVM", registered.get("hypervisor").asText());
        assertEquals(zone, registered.get("zoneid").asText());
        assertEquals("tz", registered.get("zonename").asText());
        assertEquals("{SHA-256}" + "ab".repeat(32), registered.get("checksum").asText(), "stored in CloudStack's form");
        assertEquals("os-1", registered.get("ostypeid").asText());
        assertTrue(registered.get("isextractable").asBoolean());
        assertEquals("admin", registered.get("account").asText());
        assertTrue(registered.has("created") && registered.has("domain") && registered.has("domainid"));

        String id = registered.get("id").asText();
        JsonNode[] failed = new JsonNode[1];
        long until = System.nanoTime() + 30_000_000_000L;
        do {
            failed[0] = list(cloud.admin(), "templatefilter", "all", "id", id).get(0);
            Thread.sleep(100);
        } while (!failed[0].path("status").asText().startsWith("Failed") && System.nanoTime() < until);
        assertEquals("Failed: No Up primary storage pool in zone tz to import the template into",
                failed[0].get("status").asText());
        assertFalse(failed[0].get("isready").asBoolean());
        assertEquals(1, cloud.count("SELECT COUNT(*) FROM alert WHERE subject LIKE '%" + id + "%'"), "one alert");

        JsonNode events = ok(cloud.admin().call("listEvents", "type", "TEMPLATE.CREATE", "level", "ERROR"),
                "listEvents");
        assertTrue(events.toString().contains(id) && events.toString().contains("No Up primary storage pool"),
                "the failed import job's event names the template and why: " + events);
        JsonNode job = cloud.admin().call("listAsyncJobs").response("listAsyncJobs");
        assertTrue(job.toString().contains(id), "the import is a listed job: " + job);
        delete(id);
    }

    @Test
    void templateFiltersShowOwnFeaturedCommunityAndExecutableTemplatesAsCloudStack() throws Exception {
        String own = register(user, "own").get("id").asText();
        String shared = register(user, "shared", "ispublic", "true").get("id").asText();
        String featured = register(cloud.admin(), "featured", "ispublic", "true", "isfeatured", "true")
                .get("id").asText();
        String adminsPrivate = register(cloud.admin(), "private").get("id").asText();

        assertEquals(List.of(own, shared), ids(list(user, "templatefilter", "self")));
        assertEquals(List.of(featured), ids(list(user, "templatefilter", "featured")));
        assertEquals(List.of(shared), ids(list(user, "templatefilter", "community")));
        assertEquals(List.of(own, shared, featured), ids(list(user, "templatefilter", "executable")));
        assertFalse(ids(list(user, "templatefilter", "all")).contains(adminsPrivate), "a user sees no one's private");
        assertTrue(ids(list(cloud.admin(), "templatefilter", "all")).containsAll(List.of(own, shared, featured,
                adminsPrivate)));

        ApiClient.Reply notHers = user.call("updateTemplate", "id", adminsPrivate, "name", "mine");
        assertEquals(531, notHers.status(), notHers.body());
        ApiClient.Reply featuring = user.call("registerTemplate", "name", "f", "url", "http://example.org/f.raw",
                "zoneid", zone, "format", "RAW", "hypervisor", "KVM", "isfeatured", "true");
        assertEquals(531, featuring.status(), featuring.body());
        ApiClient.Reply hostFile = user.call("registerTemplate", "name", "f", "url", "file:///etc/passwd",
                "zoneid", zone, "format", "RAW", "hypervisor", "KVM");
        assertEquals(531, hostFile.status(), "only root admins name files on the hosts: " + hostFile.body());
        for (String local : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://[::1]/x",
                "http://169.254.169.254/latest/meta-data")) {
            ApiClient.Reply refused = user.call("registerTemplate", "name", "f", "url", local, "zoneid", zone,
                    "format", "RAW", "hypervisor", "KVM");
            assertEquals(431, refused.status(), local + ": " + refused.body());
            assertTrue(refused.body().contains("Illegal host specified in url"), refused.body());
        }
        for (String id : List.of(own, shared, featured, adminsPrivate)) {
            awaitEnded(id);
            delete(id);
        }
    }

    @Test
    void updateTemplateRenamesAndDeleteIsRefusedWhileAVolumeIsClonedFromIt() throws Exception {
        String id = register(cloud.admin(), "to-update").get("id").asText();
        JsonNode updated = ok(cloud.admin().call("updateTemplate", "id", id, "name", "renamed", "displaytext",
                "new text"), "updateTemplate").get("template");
        assertEquals("renamed", updated.get("name").asText());
        assertEquals("new text", updated.get("displaytext").asText());
        awaitEnded(id);

        cloud.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                + " host_address, path, status, created, removed) SELECT 'tmpl-test-pool', 'gone', 'RBD', 'ZONE', id,"
                + " 'RBD', 'mon', 'rbd', 'Removed', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM data_center WHERE uuid = '"
                + zone + "'");
        cloud.execute("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, volume_type, size,"
                + " state, created, template_id) SELECT 'tmpl-test-root', 'ROOT-1', 1, 1, z.id, 'ROOT', 1, 'Ready',"
                + " UTC_TIMESTAMP(), t.id FROM data_center z, vm_template t WHERE z.uuid = '" + zone
                + "' AND t.uuid = '" + id + "'");
        ApiClient.Reply refused = cloud.admin().call("deleteTemplate", "id", id);
        assertEquals(536, refused.status(), refused.body());
        assertTrue(refused.body().contains("ROOT-1"), refused.body());

        // forced: the volume has no image on storage here, so flattening is only the link being dropped
        delete(id, "forced", "true");
        assertEquals(0, cloud.count("SELECT COUNT(*) FROM volumes WHERE uuid = 'tmpl-test-root' AND template_id IS"
                + " NOT NULL"));
        cloud.execute("UPDATE volumes SET removed = UTC_TIMESTAMP() WHERE uuid = 'tmpl-test-root'");
    }

    @Test
    void anImportLeftByAStoppedServerIsSettledAsFailedByTheCleanup() throws Exception {
        cloud.execute("INSERT INTO vm_template (uuid, name, url, format, account_id, domain_id, state, status, created)"
                + " VALUES ('6f1d0c8e-5a7b-4c1e-9d2a-000000000001', 'stuck', 'http://t/t.raw', 'RAW', 1, 1, 'Downloading', '5% Downloaded',"
                + " UTC_TIMESTAMP() - INTERVAL 10 MINUTE)");
        ok(cloud.admin().call("updateConfiguration", "name", "storage.cleanup.interval", "value", "1"),
                "updateConfiguration");
        try {
            long until = System.nanoTime() + 30_000_000_000L;
            while (cloud.count("SELECT COUNT(*) FROM vm_template WHERE uuid = '6f1d0c8e-5a7b-4c1e-9d2a-000000000001' AND state = 'Error'") == 0) {
                assertTrue(System.nanoTime() < until, "the stuck import was not settled");
                Thread.sleep(200);
            }
            JsonNode settled = list(cloud.admin(), "templatefilter", "all", "id", "6f1d0c8e-5a7b-4c1e-9d2a-000000000001").get(0);
            assertTrue(settled.get("status").asText().startsWith("Failed: the import was interrupted"),
                    settled.toString());
            delete("6f1d0c8e-5a7b-4c1e-9d2a-000000000001");
        } finally {
            cloud.admin().call("updateConfiguration", "name", "storage.cleanup.interval", "value", "300");
        }
    }

    @Test
    void malformedChecksumsUrlsAndZonesAreRefusedNamingTheParameter() throws Exception {
        for (String[] bad : new String[][] {
                {"checksum", "{SHA-256}abc", "checksum"}, {"checksum", "{CRC}" + "a".repeat(32), "checksum"},
                {"url", "ftp://example.org/t.raw", "url"}, {"url", "/srv/../etc/shadow", "url"},
                {"zoneid", "no-such-zone", "zoneid"}, {"format", "VHD", "format"}, {"hypervisor", "XenServer",
                "hypervisor"}}) {
            List<String> params = new ArrayList<>(List.of("name", "bad", "url", "http://example.org/t.raw", "zoneid",
                    zone, "format", "RAW", "hypervisor", "KVM"));
            int at = params.indexOf(bad[0]);
            if (at >= 0) {
                params.set(at + 1, bad[1]);
            } else {
                params.addAll(List.of(bad[0], bad[1]));
            }
            ApiClient.Reply reply = cloud.admin().call("registerTemplate", params.toArray(String[]::new));
            assertEquals(431, reply.status(), bad[1] + ": " + reply.body());
            assertTrue(reply.body().toLowerCase().contains(bad[2]), reply.body());
        }
    }

    private static JsonNode register(ApiClient client, String name, String... more) throws Exception {
        List<String> params = new ArrayList<>(List.of("name", name, "displaytext", name + " template", "url",
                "http://192.0.2.1:9/" + name + ".qcow2", "zoneid", zone, "format", "QCOW2", "hypervisor", "KVM"));
        params.addAll(List.of(more));
        if (params.indexOf("zoneid") != params.lastIndexOf("zoneid")) {
            params.subList(6, 8).clear(); // the caller's zoneid replaces the default
        }
        JsonNode list = ok(client.call("registerTemplate", params.toArray(String[]::new)), "registerTemplate")
                .get("template");
        assertEquals(1, list.size());
        return list.get(0);
    }

    /** deleteTemplate, whose job must succeed. */
    private static void delete(String id, String... more) throws Exception {
        List<String> params = new ArrayList<>(List.of("id", id));
        params.addAll(List.of(more));
        JsonNode started = ok(cloud.admin().call("deleteTemplate", params.toArray(String[]::new)), "deleteTemplate");
        JsonNode job = cloud.admin().awaitJob(started.get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
    }

    private static List<JsonNode> list(ApiClient client, String... params) throws Exception {
        JsonNode response = ok(client.call("listTemplates", params), "listTemplates");
        List<JsonNode> items = new ArrayList<>();
        response.path("template").forEach(items::add);
        return items;
    }

    private static List<String> ids(List<JsonNode> templates) {
        return templates.stream().map(t -> t.get("id").asText()).toList();
    }

    /** Waits until the template's import job has given up (no pool here), so a delete is allowed. */
    private static void awaitEnded(String id) throws Exception {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            JsonNode t = list(cloud.admin(), "templatefilter", "all", "id", id).get(0);
            if (t.path("status").asText().startsWith("Failed") || t.get("isready").asBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("template " + id + " is still importing");
    }
}
