package io.rbdstack.server;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resource limits per account and per domain: defaults, updates and their rules, the counts, the fields
 * of listAccounts and listDomains, and createVolume refused with CloudStack's 532 text before any storage
 * is asked (volumes are staged in the DB; limits on real Ceph: agent-kvm's AdminOnRealStorageIT).
 */
class ResourceLimitsIT {

    private static final long GIB = 1L << 30;

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static String zone;
    static String root;

    @BeforeAll
    static void start() throws Exception {
        zone = ok(cloud.admin().call("createZone", "name", "limits-zone", "dns1", "8.8.8.8", "internaldns1",
                "10.0.0.2", "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        root = ok(cloud.admin().call("listDomains"), "listDomains").get("domain").get(0).get("id").asText();
        cloud.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                + " host_address, path, status, created) SELECT UUID(), 'limits-pool', 'RBD', 'ZONE', id, 'RBD', 'mon',"
                + " 'rbd', 'Maintenance', UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
    }

    @Test
    void accountsHaveCloudStacksDefaultsUntilAnAdminSetsTheirOwn() throws Exception {
        ApiClient user = account("defaults", root);
        Map<String, JsonNode> limits = byName(ok(user.call("listResourceLimits"), "listResourceLimits"));
        assertEquals(4, limits.size());
        assertEquals(20, limits.get("volume").get("max").asLong());
        assertEquals("2", limits.get("volume").get("resourcetype").asText());
        assertEquals(20, limits.get("snapshot").get("max").asLong());
        assertEquals(200, limits.get("primary_storage").get("max").asLong(), "storage limits are in GiB");
        assertEquals("10", limits.get("primary_storage").get("resourcetype").asText());
        assertEquals(400, limits.get("secondary_storage").get("max").asLong());
        assertEquals("defaults", limits.get("volume").get("account").asText());
        assertEquals("ROOT", limits.get("volume").get("domainpath").asText());

        JsonNode updated = ok(cloud.admin().call("updateResourceLimit", "account", "defaults", "domainid", root,
                "resourcetype", "10", "max", "5"), "updateResourceLimit").get("resourcelimit");
        assertEquals(5, updated.get("max").asLong());
        assertEquals("primary_storage", updated.get("resourcetypename").asText());
        assertEquals(5, ok(user.call("listResourceLimits", "resourcetype", "10"), "listResourceLimits")
                .get("resourcelimit").get(0).get("max").asLong());
        assertEquals(1, ok(user.call("listResourceLimits", "resourcetypename", "snapshot"), "listResourceLimits")
                .get("count").asInt());
        assertEquals(432, user.call("updateResourceLimit", "account", "defaults", "domainid", root, "resourcetype",
                "2", "max", "100").status(), "users do not set their own limits");
    }

    @Test
    void theNextVolumeOverAnAccountLimitIsRefusedWithCloudStacksText() throws Exception {
        ApiClient user = account("capped", root);
        ok(cloud.admin().call("updateResourceLimit", "account", "capped", "domainid", root, "resourcetype", "2",
                "max", "1"), "updateResourceLimit");
        stageVolume("capped", GIB);
        ApiClient.Reply refused = user.call("createVolume", "zoneid", zone, "size", "1");
        assertEquals(532, refused.status(), refused.body());
        JsonNode error = refused.response("createVolume");
        assertEquals(4370, error.get("cserrorcode").asInt());
        assertTrue(error.get("errortext").asText().startsWith("Maximum amount of resources of Type = 'volume', tag ="
                + " 'null' for Account Name = capped in Domain Id = " + root + " is exceeded: Account Resource Limit"
                + " = 1, Current Account Resource Amount = 1, Current Account Resource Reservation = 0, Requested"
                + " Resource Amount = 1."), error.get("errortext").asText());

        ok(cloud.admin().call("updateResourceLimit", "account", "capped", "domainid", root, "resourcetype", "2",
                "max", "-1"), "updateResourceLimit");
        ok(cloud.admin().call("updateResourceLimit", "account", "capped", "domainid", root, "resourcetype", "10",
                "max", "2"), "updateResourceLimit");
        ApiClient.Reply tooBig = user.call("createVolume", "zoneid", zone, "size", "2");
        assertEquals(532, tooBig.status(), tooBig.body());
        assertTrue(tooBig.response("createVolume").get("errortext").asText().contains("Type = 'primary_storage'"
                + ", tag = 'null' for Account Name = capped in Domain Id = " + root + " is exceeded: Account Resource"
                + " Limit = 2147483648 (2.00 GB), Current Account Resource Amount = 1073741824 (1.00 GB)"));
        ApiClient.Reply fits = user.call("createVolume", "zoneid", zone, "size", "1");
        assertEquals(533, fits.status(), "within the limit, the request goes on to look for storage: " + fits.body());
        assertEquals(1, cloud.count("SELECT COUNT(*) FROM volumes v JOIN account a ON a.id = v.account_id"
                + " WHERE a.account_name = 'capped'"), "a refused volume leaves no row behind");
        assertTrue(cloud.admin().call("createVolume", "zoneid", zone, "size", "1000").status() != 532,
                "root admins have no limits");
    }

    @Test
    void aDomainLimitHoldsForAllTheAccountsBelowIt() throws Exception {
        String dept = ok(cloud.admin().call("createDomain", "name", "limited"), "createDomain").get("domain")
                .get("id").asText();
        String team = ok(cloud.admin().call("createDomain", "name", "team", "parentdomainid", dept), "createDomain")
                .get("domain").get("id").asText();
        ok(cloud.admin().call("updateResourceLimit", "domainid", dept, "resourcetype", "2", "max", "2"),
                "updateResourceLimit");
        account("first", dept);
        ApiClient second = account("second", team);
        stageVolume("first", GIB);
        stageVolume("second", GIB);
        ApiClient.Reply refused = second.call("createVolume", "zoneid", zone, "size", "1");
        assertEquals(532, refused.status(), refused.body());
        assertEquals("Maximum domain resource limits of Type 'volume' for Domain Id = " + dept + " is exceeded: Domain"
                + " Resource Limit = 2, Current Domain Resource Amount = 2, Current Resource Reservation = 0,"
                + " Requested Resource Amount = 1.", refused.response("createVolume").get("errortext").asText());

        JsonNode teamLimit = ok(cloud.admin().call("listResourceLimits", "domainid", team, "resourcetype", "2"),
                "listResourceLimits").get("resourcelimit").get(0);
        assertEquals(2, teamLimit.get("max").asLong(), "a domain without its own limit has its parent's");
        ApiClient.Reply overParent = cloud.admin().call("updateResourceLimit", "domainid", team, "resourcetype", "2",
                "max", "3");
        assertEquals(431, overParent.status());
        assertEquals("Domain team(id: " + team + ") has maximum allowed resource limit 2 for volume, please specify"
                + " a value less that or equal to 2", overParent.response("updateResourceLimit").get("errortext")
                .asText());
        JsonNode listed = ok(cloud.admin().call("listDomains", "id", dept), "listDomains").get("domain").get(0);
        assertEquals("2", listed.get("volumelimit").asText());
        assertEquals(2, listed.get("volumetotal").asLong());
        assertEquals("0", listed.get("volumeavailable").asText());

        JsonNode counts = ok(cloud.admin().call("updateResourceCount", "domainid", team, "account", "second"),
                "updateResourceCount");
        assertEquals(4, counts.get("count").asInt());
        Map<String, JsonNode> byType = new HashMap<>();
        counts.get("resourcecount").forEach(c -> byType.put(c.get("resourcetypename").asText(), c));
        assertEquals(1, byType.get("volume").get("resourcecount").asLong());
        assertEquals(GIB, byType.get("primary_storage").get("resourcecount").asLong());
        assertEquals("second", byType.get("volume").get("account").asText());
    }

    @Test
    void limitUpdatesFollowCloudStacksRules() throws Exception {
        String adminAccount = "admin";
        assertEquals(431, cloud.admin().call("updateResourceLimit", "account", adminAccount, "domainid", root,
                "resourcetype", "2", "max", "5").status(), "root admins are never limited");
        assertEquals(531, cloud.admin().call("updateResourceLimit", "domainid", root, "resourcetype", "2", "max", "5")
                .status(), "nor is ROOT");
        assertEquals(431, cloud.admin().call("updateResourceLimit", "domainid", root, "resourcetype", "0",
                "max", "5").status(), "VMs are not limited here");
        assertEquals(431, cloud.admin().call("updateResourceLimit", "resourcetype", "2", "max", "5").status());
        assertEquals(431, cloud.admin().call("updateResourceLimit", "account", adminAccount, "domainid", root,
                "resourcetype", "2", "max", "-2").status());

        String dom = ok(cloud.admin().call("createDomain", "name", "selfish"), "createDomain").get("domain")
                .get("id").asText();
        ok(cloud.admin().call("createAccount", "username", "selfish-admin", "password", "pw", "email", "s@x.org",
                "firstname", "S", "lastname", "A", "accounttype", "2", "domainid", dom), "createAccount");
        ApiClient domainAdmin = ApiClient.login(cloud.baseUrl(), "selfish-admin", "pw", "ROOT/selfish");
        assertEquals(531, domainAdmin.call("updateResourceLimit", "account", "selfish-admin", "domainid", dom,
                "resourcetype", "2", "max", "500").status(), "not its own account");
        assertEquals(531, domainAdmin.call("updateResourceLimit", "domainid", dom, "resourcetype", "2", "max", "500")
                .status(), "nor its own domain");
        account("below-selfish", dom);
        assertEquals(200, domainAdmin.call("updateResourceLimit", "account", "below-selfish", "domainid", dom,
                "resourcetype", "3", "max", "7").status(), "but the accounts below it");
    }

    @Test
    void listAccountsShowsLimitsTotalsAndWhatIsLeft() throws Exception {
        account("summary", root);
        ok(cloud.admin().call("updateResourceLimit", "account", "summary", "domainid", root, "resourcetype", "10",
                "max", "10"), "updateResourceLimit");
        stageVolume("summary", 3 * GIB);
        JsonNode account = ok(cloud.admin().call("listAccounts", "name", "summary"), "listAccounts").get("account")
                .get(0);
        assertEquals("20", account.get("volumelimit").asText());
        assertEquals(1, account.get("volumetotal").asLong());
        assertEquals("19", account.get("volumeavailable").asText());
        assertEquals("10", account.get("primarystoragelimit").asText());
        assertEquals(3, account.get("primarystoragetotal").asLong());
        assertEquals("7", account.get("primarystorageavailable").asText());
        assertEquals("400", account.get("secondarystoragelimit").asText());
        assertEquals(0.0, account.get("secondarystoragetotal").asDouble());
        JsonNode admin = ok(cloud.admin().call("listAccounts", "name", "admin"), "listAccounts").get("account").get(0);
        assertEquals("Unlimited", admin.get("volumelimit").asText());
        assertEquals("Unlimited", admin.get("primarystorageavailable").asText());
    }

    private static ApiClient account(String name, String domain) throws Exception {
        ok(cloud.admin().call("createAccount", "username", name, "password", "pw-" + name, "email", name + "@x.org",
                "firstname", "F", "lastname", "L", "domainid", domain), "createAccount");
        String path = ok(cloud.admin().call("listDomains", "id", domain), "listDomains").get("domain").get(0)
                .get("path").asText();
        return ApiClient.login(cloud.baseUrl(), name, "pw-" + name, path);
    }

    private static void stageVolume(String accountName, long size) throws Exception {
        cloud.execute("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type, size,"
                + " state, created) SELECT '" + UUID.randomUUID() + "', 'staged', a.id, a.domain_id, p.data_center_id,"
                + " p.id, 'DATADISK', " + size + ", 'Ready', UTC_TIMESTAMP() FROM account a JOIN storage_pool p"
                + " ON p.name = 'limits-pool' WHERE a.account_name = '" + accountName + "' AND a.removed IS NULL");
    }

    private static Map<String, JsonNode> byName(JsonNode list) {
        Map<String, JsonNode> limits = new HashMap<>();
        list.get("resourcelimit").forEach(l -> limits.put(l.get("resourcetypename").asText(), l));
        return limits;
    }
}
