package io.rbdstack.server.auth;

import static io.rbdstack.server.ApiAssertions.ok;
import static io.rbdstack.server.auth.AccountsAndDomainsIT.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A domain admin (account type 2) sees and manages its own domain and the domains below it, and nothing
 * else: ROOT/dept holds the domain admin, ROOT/dept/team a user below it, ROOT/other a user beside it.
 */
class DomainAdminIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static String dept;
    static String team;
    static String other;
    static String teamUserAccount;
    static String otherUserAccount;
    static ApiClient deptAdmin;

    @BeforeAll
    static void tree() throws Exception {
        dept = domain("dept", null);
        team = domain("team", dept);
        other = domain("other", null);
        account("dept-admin", 2, dept);
        teamUserAccount = account("team-user", 0, team).get("id").asText();
        otherUserAccount = account("other-user", 0, other).get("id").asText();
        deptAdmin = ApiClient.login(cloud.baseUrl(), "dept-admin", "pw", "ROOT/dept");
    }

    @Test
    void listsShowOnlyItsSubtree() throws Exception {
        List<String> accounts = names(ok(deptAdmin.call("listAccounts"), "listAccounts"), "account");
        assertTrue(accounts.containsAll(List.of("dept-admin", "team-user")), accounts.toString());
        assertTrue(!accounts.contains("other-user") && !accounts.contains("admin"), accounts.toString());
        List<String> domains = names(ok(deptAdmin.call("listDomains", "listall", "true"), "listDomains"), "domain");
        assertTrue(domains.containsAll(List.of("dept", "team")), domains.toString());
        assertTrue(!domains.contains("other") && !domains.contains("ROOT"), domains.toString());
        List<String> users = new ArrayList<>();
        ok(deptAdmin.call("listUsers"), "listUsers").get("user").forEach(u -> users.add(u.get("username").asText()));
        assertTrue(users.containsAll(List.of("dept-admin", "team-user")), users.toString());
        assertTrue(!users.contains("other-user") && !users.contains("admin"), users.toString());
        assertTrue(names(ok(deptAdmin.call("listAccounts", "domainid", team), "listAccounts"), "account")
                .contains("team-user"));
        assertTrue(!names(ok(deptAdmin.call("listAccounts", "domainid", team), "listAccounts"), "account")
                .contains("dept-admin"), "without isrecursive, only that domain's accounts");
        assertEquals(531, deptAdmin.call("listAccounts", "domainid", other).status());
        assertEquals(531, deptAdmin.call("listAccounts", "id", otherUserAccount).status());
        assertEquals(531, deptAdmin.call("listDomains", "id", other).status());
    }

    @Test
    void itSeesTheVolumesOfItsSubtreeOnlyWhenAskingForThem() throws Exception {
        String teamVolume = stageVolume("team-user", "team-vol");
        String otherVolume = stageVolume("other-user", "other-vol");
        assertEquals(0, ok(deptAdmin.call("listVolumes"), "listVolumes").size(),
                "without listall an admin lists its own account's volumes");
        JsonNode all = ok(deptAdmin.call("listVolumes", "listall", "true"), "listVolumes");
        assertEquals(1, all.get("count").asInt());
        assertEquals(teamVolume, all.get("volume").get(0).get("id").asText());
        assertEquals(1, ok(deptAdmin.call("listVolumes", "id", teamVolume), "listVolumes").get("count").asInt());
        assertEquals(531, deptAdmin.call("listVolumes", "domainid", other).status());
        assertEquals(0, ok(deptAdmin.call("listVolumes", "domainid", dept), "listVolumes").size(),
                "dept itself holds no volume; isrecursive adds the domains below");
        assertEquals(1, ok(deptAdmin.call("listVolumes", "domainid", dept, "isrecursive", "true"), "listVolumes")
                .get("count").asInt());
        assertEquals(1, ok(deptAdmin.call("listVolumes", "account", "team-user", "domainid", team), "listVolumes")
                .get("count").asInt());
        assertEquals(531, deptAdmin.call("deleteVolume", "id", otherVolume).status(), "the access rule on ids");
        assertEquals(2, ok(cloud.admin().call("listVolumes", "listall", "true"), "listVolumes").get("count").asInt());
    }

    @Test
    void itManagesAccountsAndDomainsBelowItButNotBesideOrAbove() throws Exception {
        JsonNode created = ok(deptAdmin.call("createAccount", "username", "new-team-user", "password", "pw", "email",
                "n@x.org", "firstname", "N", "lastname", "U", "domainid", team), "createAccount").get("account");
        assertEquals("ROOT/dept/team", created.get("domainpath").asText());
        assertEquals(531, deptAdmin.call("createAccount", "username", "intruder", "password", "pw", "email", "i@x.org",
                "firstname", "I", "lastname", "N", "domainid", other).status());
        assertEquals(431, deptAdmin.call("createAccount", "username", "new-root", "password", "pw", "email", "r@x.org",
                "firstname", "R", "lastname", "A", "accounttype", "1").status(), "no root admins by a domain admin");
        JsonNode subDomainAdmin = ok(deptAdmin.call("createAccount", "username", "team-admin", "password", "pw",
                "email", "t@x.org", "firstname", "T", "lastname", "A", "accounttype", "2", "domainid", team),
                "createAccount").get("account");
        assertEquals("DomainAdmin", subDomainAdmin.get("roletype").asText());

        JsonNode disabled = cloud.admin().awaitJob(ok(deptAdmin.call("disableAccount", "id", created.get("id").asText(),
                "lock", "false"), "disableAccount").get("jobid").asText());
        assertEquals(1, disabled.get("jobstatus").asInt(), disabled.toString());
        assertEquals(531, deptAdmin.call("disableAccount", "id", otherUserAccount, "lock", "true").status());
        assertEquals(531, deptAdmin.call("lockAccount", "account", "other-user", "domainid", other).status());
        String otherUser = ok(cloud.admin().call("listUsers", "username", "other-user"), "listUsers").get("user").get(0)
                .get("id").asText();
        assertEquals(531, deptAdmin.call("updateUser", "id", otherUser, "firstname", "X").status());
        assertEquals(531, deptAdmin.call("deleteAccount", "id", otherUserAccount).status());

        JsonNode sub = ok(deptAdmin.call("createDomain", "name", "lab"), "createDomain").get("domain");
        assertEquals("ROOT/dept/lab", sub.get("path").asText(), "under the domain admin's own domain by default");
        assertEquals(531, deptAdmin.call("createDomain", "name", "x", "parentdomainid", other).status());
        assertEquals(531, deptAdmin.call("deleteDomain", "id", dept).status(), "not its own domain");
        assertEquals(531, deptAdmin.call("updateDomain", "id", dept, "name", "bigger").status());
        JsonNode deleted = cloud.admin().awaitJob(ok(deptAdmin.call("deleteDomain", "id", sub.get("id").asText()),
                "deleteDomain").get("jobid").asText());
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
    }

    @Test
    void rootAdminCommandsStayClosedToIt() throws Exception {
        assertEquals(432, deptAdmin.call("createZone", "name", "z", "dns1", "8.8.8.8", "internaldns1", "8.8.4.4",
                "networktype", "Advanced").status());
        assertEquals(432, deptAdmin.call("listHosts").status());
        assertEquals(432, deptAdmin.call("listManagementServers").status());
        JsonNode apis = ok(deptAdmin.call("listApis"), "listApis");
        List<String> names = new ArrayList<>();
        apis.get("api").forEach(a -> names.add(a.get("name").asText()));
        assertTrue(names.containsAll(List.of("createAccount", "listDomains", "deleteAccount")), names.toString());
        assertTrue(!names.contains("createZone"), names.toString());
    }

    private static String stageVolume(String accountName, String name) throws Exception {
        String uuid = UUID.randomUUID().toString();
        try (Connection c = cloud.db().connect(); Statement s = c.createStatement()) {
            if (!s.executeQuery("SELECT 1 FROM storage_pool WHERE name = 'da-pool'").next()) {
                s.execute("INSERT INTO data_center (uuid, name, network_type, created) VALUES (UUID(), 'da-zone',"
                        + " 'Advanced', UTC_TIMESTAMP())");
                s.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id,"
                        + " storage_provider_name, host_address, path, status, created) SELECT UUID(), 'da-pool', 'RBD',"
                        + " 'ZONE', id, 'RBD', 'mon', 'rbd', 'Maintenance', UTC_TIMESTAMP() FROM data_center"
                        + " WHERE name = 'da-zone'");
            }
            s.execute("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type,"
                    + " size, state, created) SELECT '" + uuid + "', '" + name + "', a.id, a.domain_id,"
                    + " p.data_center_id, p.id, 'DATADISK', 1073741824, 'Ready', UTC_TIMESTAMP() FROM account a"
                    + " JOIN storage_pool p ON p.name = 'da-pool' WHERE a.account_name = '" + accountName + "'");
        }
        return uuid;
    }

    private static String domain(String name, String parent) throws Exception {
        List<String> params = new ArrayList<>(List.of("name", name));
        if (parent != null) {
            params.addAll(List.of("parentdomainid", parent));
        }
        return ok(cloud.admin().call("createDomain", params.toArray(String[]::new)), "createDomain").get("domain")
                .get("id").asText();
    }

    private static JsonNode account(String name, int type, String domain) throws Exception {
        return ok(cloud.admin().call("createAccount", "username", name, "password", "pw", "email", name + "@x.org",
                "firstname", "F", "lastname", "L", "accounttype", String.valueOf(type), "domainid", domain),
                "createAccount").get("account");
    }
}
