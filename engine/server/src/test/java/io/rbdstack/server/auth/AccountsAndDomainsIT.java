package io.rbdstack.server.auth;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Accounts, users and domains as a root admin manages them, against the real DB. */
class AccountsAndDomainsIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();

    @Test
    void listAccountsShowsCloudStacksFieldsAndUsersOnlyTheirOwn() throws Exception {
        JsonNode created = createAccount("list-a", "pw-a");
        assertEquals("list-a", created.get("name").asText());
        assertEquals(0, created.get("accounttype").asInt());
        assertEquals("User", created.get("roletype").asText());
        assertEquals("ROOT", created.get("domain").asText());
        assertEquals("ROOT", created.get("domainpath").asText());
        assertEquals("enabled", created.get("state").asText());
        assertFalse(created.get("isdefault").asBoolean());
        assertEquals("list-a", created.get("user").get(0).get("username").asText());

        List<String> seenByAdmin = names(ok(cloud.admin().call("listAccounts"), "listAccounts"), "account");
        assertTrue(seenByAdmin.containsAll(List.of("admin", "list-a")), seenByAdmin.toString());
        JsonNode admin = ok(cloud.admin().call("listAccounts", "name", "admin"), "listAccounts").get("account").get(0);
        assertTrue(admin.get("isdefault").asBoolean());
        assertEquals("Admin", admin.get("roletype").asText());

        ApiClient user = ApiClient.login(cloud.baseUrl(), "list-a", "pw-a");
        assertEquals(List.of("list-a"), names(ok(user.call("listAccounts", "listall", "true"), "listAccounts"),
                "account"));
        assertEquals(531, user.call("listAccounts", "id", admin.get("id").asText()).status());
        assertEquals(432, user.call("updateAccount", "id", created.get("id").asText(), "newname", "x").status());
    }

    @Test
    void updateAccountRenamesItAndRefusesATakenName() throws Exception {
        String id = createAccount("rename-me", "pw").get("id").asText();
        createAccount("taken-name", "pw");
        JsonNode renamed = ok(cloud.admin().call("updateAccount", "id", id, "newname", "renamed",
                "networkdomain", "example.org"), "updateAccount").get("account");
        assertEquals("renamed", renamed.get("name").asText());
        assertEquals("example.org", renamed.get("networkdomain").asText());
        ApiClient.Reply taken = cloud.admin().call("updateAccount", "account", "renamed", "domainid", rootId(),
                "newname", "taken-name");
        assertEquals(431, taken.status(), taken.body());
        ApiClient.login(cloud.baseUrl(), "rename-me", "pw");
    }

    @Test
    void disableLockAndEnableEndAndRestoreLogins() throws Exception {
        String id = createAccount("switch", "pw-s").get("id").asText();
        ApiClient session = ApiClient.login(cloud.baseUrl(), "switch", "pw-s");
        JsonNode disabled = awaitOk(cloud.admin().call("disableAccount", "id", id, "lock", "false"), "disableAccount")
                .get("account");
        assertEquals("disabled", disabled.get("state").asText());
        assertEquals(401, session.call("listAccounts").status(), "the account's sessions ended");
        assertEquals(401, login("switch", "pw-s"));

        assertEquals("enabled", ok(cloud.admin().call("enableAccount", "id", id), "enableAccount").get("account")
                .get("state").asText());
        ApiClient.login(cloud.baseUrl(), "switch", "pw-s");

        assertEquals("locked", ok(cloud.admin().call("lockAccount", "account", "switch", "domainid", rootId()),
                "lockAccount").get("account").get("state").asText());
        assertEquals(401, login("switch", "pw-s"));
        assertEquals("locked", awaitOk(cloud.admin().call("disableAccount", "account", "switch", "lock", "true"),
                "disableAccount").get("account").get("state").asText());
        ok(cloud.admin().call("enableAccount", "account", "switch", "domainid", rootId()), "enableAccount");

        String adminAccount = ok(cloud.admin().call("listAccounts", "name", "admin"), "listAccounts").get("account")
                .get(0).get("id").asText();
        ApiClient.Reply own = cloud.admin().call("disableAccount", "id", adminAccount, "lock", "false");
        assertEquals(431, own.status());
        assertEquals("You cannot disable your own account admin", own.response("disableAccount").get("errortext")
                .asText());
        assertEquals(431, cloud.admin().call("lockAccount", "account", "nobody", "domainid", rootId()).status());
    }

    @Test
    void usersAreAddedToAnAccountAndDeletedWithTheirSessions() throws Exception {
        createAccount("team", "pw-t");
        JsonNode second = ok(cloud.admin().call("createUser", "account", "team", "username", "team-2", "password",
                "pw-2", "email", "t2@x.org", "firstname", "T", "lastname", "Two"), "createUser").get("user");
        assertEquals("team", second.get("account").asText());
        ApiClient session = ApiClient.login(cloud.baseUrl(), "team-2", "pw-2");
        assertEquals(2, ok(session.call("listUsers"), "listUsers").get("count").asInt(),
                "a user sees the users of its own account");
        assertEquals(431, cloud.admin().call("createUser", "account", "team", "username", "team-2", "password", "p",
                "email", "e@x.org", "firstname", "a", "lastname", "b").status(), "usernames are unique in a domain");
        assertEquals(431, cloud.admin().call("createUser", "account", "no-such-account", "username", "u", "password",
                "p", "email", "e@x.org", "firstname", "a", "lastname", "b").status());

        assertTrue(ok(cloud.admin().call("deleteUser", "id", second.get("id").asText()), "deleteUser")
                .get("success").asBoolean());
        assertEquals(401, session.call("listUsers").status());
        assertEquals(401, login("team-2", "pw-2"));
        assertEquals(1, ok(cloud.admin().call("listUsers", "account", "team", "domainid", rootId()), "listUsers")
                .get("count").asInt());
        String self = ok(cloud.admin().call("listUsers", "username", "admin"), "listUsers").get("user").get(0)
                .get("id").asText();
        assertEquals(431, cloud.admin().call("deleteUser", "id", self).status());
    }

    @Test
    void domainsFormATreeThatRenamesAndDeletesAsOne() throws Exception {
        JsonNode sales = ok(cloud.admin().call("createDomain", "name", "sales", "networkdomain", "sales.example"),
                "createDomain").get("domain");
        assertEquals("ROOT/sales", sales.get("path").asText());
        assertEquals(1, sales.get("level").asInt());
        assertEquals("ROOT", sales.get("parentdomainname").asText());
        assertEquals("sales.example", sales.get("networkdomain").asText());
        JsonNode emea = ok(cloud.admin().call("createDomain", "name", "emea", "parentdomainid",
                sales.get("id").asText()), "createDomain").get("domain");
        assertEquals("ROOT/sales/emea", emea.get("path").asText());
        assertEquals(2, emea.get("level").asInt());
        assertEquals(431, cloud.admin().call("createDomain", "name", "emea", "parentdomainid",
                sales.get("id").asText()).status(), "sibling names are unique");
        assertEquals(431, cloud.admin().call("createDomain", "name", "a/b").status());

        assertEquals(List.of("ROOT"), names(ok(cloud.admin().call("listDomains"), "listDomains"), "domain"),
                "without listall, only the caller's own domain");
        JsonNode all = ok(cloud.admin().call("listDomains", "listall", "true"), "listDomains");
        assertTrue(names(all, "domain").containsAll(List.of("ROOT", "sales", "emea")));
        JsonNode listedSales = ok(cloud.admin().call("listDomains", "id", sales.get("id").asText()), "listDomains")
                .get("domain").get(0);
        assertTrue(listedSales.get("haschild").asBoolean());

        ok(cloud.admin().call("updateDomain", "id", sales.get("id").asText(), "name", "revenue"), "updateDomain");
        assertEquals("ROOT/revenue/emea", ok(cloud.admin().call("listDomains", "id", emea.get("id").asText()),
                "listDomains").get("domain").get(0).get("path").asText(), "the subtree's paths follow the rename");
        String root = rootId();
        assertEquals(431, cloud.admin().call("updateDomain", "id", root, "name", "TOP").status());

        createAccount("seller", "pw-seller", "domainid", emea.get("id").asText());
        ApiClient seller = ApiClient.login(cloud.baseUrl(), "seller", "pw-seller", "ROOT/revenue/emea");
        assertEquals("ROOT/revenue/emea", ok(seller.call("listAccounts"), "listAccounts").get("account").get(0)
                .get("domainpath").asText());

        ApiClient.Reply refused = cloud.admin().call("deleteDomain", "id", sales.get("id").asText());
        assertEquals(536, refused.status(), refused.body());
        assertEquals("Cannot delete domain revenue: it still has 1 domain(s) (emea); delete or move them first",
                refused.response("deleteDomain").get("errortext").asText());
        awaitOk(cloud.admin().call("deleteDomain", "id", sales.get("id").asText(), "cleanup", "true"), "deleteDomain");
        assertEquals(List.of("ROOT"), names(ok(cloud.admin().call("listDomains", "listall", "true"), "listDomains"),
                "domain"));
        assertEquals(0, ok(cloud.admin().call("listAccounts", "name", "seller"), "listAccounts").size());
        assertEquals(401, seller.call("listAccounts").status());
        ok(cloud.admin().call("createDomain", "name", "sales"), "createDomain");
        assertEquals(431, cloud.admin().call("deleteDomain", "id", root).status());
    }

    @Test
    void deleteAccountRemovesItAndFreesItsName() throws Exception {
        String id = createAccount("leaving", "pw-l").get("id").asText();
        ApiClient session = ApiClient.login(cloud.baseUrl(), "leaving", "pw-l");
        awaitOk(cloud.admin().call("deleteAccount", "id", id), "deleteAccount");
        assertEquals(401, session.call("listAccounts").status());
        assertEquals(0, ok(cloud.admin().call("listAccounts", "id", id), "listAccounts").size());
        createAccount("leaving", "pw-again");
        ApiClient.login(cloud.baseUrl(), "leaving", "pw-again");
    }

    static JsonNode createAccount(String name, String password, String... more) throws Exception {
        List<String> params = new ArrayList<>(List.of("username", name, "password", password, "email", name + "@x.org",
                "firstname", "F", "lastname", "L"));
        params.addAll(List.of(more));
        return ok(cloud.admin().call("createAccount", params.toArray(String[]::new)), "createAccount").get("account");
    }

    static String rootId() throws Exception {
        return ok(cloud.admin().call("listDomains"), "listDomains").get("domain").get(0).get("id").asText();
    }

    static int login(String username, String password) throws Exception {
        return ApiClient.anonymous(cloud.baseUrl()).post(Map.of("command", "login", "username", username, "password",
                password, "response", "json")).status();
    }

    static List<String> names(JsonNode list, String item) {
        List<String> names = new ArrayList<>();
        if (list.has(item)) {
            list.get(item).forEach(n -> names.add(n.get("name").asText()));
        }
        return names;
    }

    static JsonNode awaitOk(ApiClient.Reply reply, String command) throws Exception {
        JsonNode job = cloud.admin().awaitJob(ok(reply, command).get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        return job.get("jobresult");
    }
}
