package io.rbdstack.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions live in the database (hashed), so they survive a restart and work on every management
 * server; a password change or a disable ends them; failed logins disable a user after
 * incorrect.login.attempts.allowed, and a source address with too many failures is refused for a while.
 * Every refused login gets the same text.
 */
class SessionsAndLoginIT {

    private static final String FAILED = "Failed to authenticate user %s in domain /; please provide valid credentials";

    @TempDir
    static Path dir;
    static TestDatabase db;
    static Path config;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        db = new TestDatabase();
        config = TestServer.prepareConfig(dir.resolve("conf"));
        db.writeDbProperties(config, "serverTimezone=UTC");
        server = new TestServer(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        db.close();
    }

    @Test
    void aSessionSurvivesARestartAndWorksOnASecondServer() throws Exception {
        createUser("carol", "carol-pw-1");
        ApiClient carol = ApiClient.login(server.baseUrl(), "carol", "carol-pw-1");
        try (TestServer second = new TestServer(config)) {
            assertEquals(200, carol.at(second.baseUrl()).call("listZones").status());
        }
        server.close();
        server = new TestServer(config);
        assertEquals(200, carol.at(server.baseUrl()).call("listZones").status());
    }

    @Test
    void onlyHashesOfSessionIdsAndKeysAreStored() throws Exception {
        createUser("dave", "dave-pw-1");
        ApiClient.Reply login = ApiClient.anonymous(server.baseUrl()).post(loginParams("dave", "dave-pw-1"));
        String sessionKey = login.response("login").get("sessionkey").asText();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT session_hash, key_hash FROM user_session")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertFalse(rs.getString(1).contains(sessionKey) || rs.getString(2).contains(sessionKey));
                assertEquals(64, rs.getString(2).length());
            }
            assertTrue(rows > 0);
        }
    }

    @Test
    void aPasswordChangeEndsTheUsersSessions() throws Exception {
        String id = createUser("erin", "erin-pw-1");
        ApiClient first = ApiClient.login(server.baseUrl(), "erin", "erin-pw-1");
        ApiClient second = ApiClient.login(server.baseUrl(), "erin", "erin-pw-1");
        assertEquals(200, first.call("listZones").status());
        ApiClient.Reply refused = first.call("updateUser", "id", id, "password", "erin-pw-2");
        assertEquals(431, refused.status(), "a user changing its own password must give the current one");
        assertEquals(200, first.call("updateUser", "id", id, "password", "erin-pw-2", "currentpassword", "erin-pw-1")
                .status());
        assertEquals(401, first.call("listZones").status());
        assertEquals(401, second.call("listZones").status());
        assertEquals(401, login("erin", "erin-pw-1").status());
        assertEquals(200, ApiClient.login(server.baseUrl(), "erin", "erin-pw-2").call("listZones").status());
    }

    @Test
    void disablingAUserEndsItsSessionsAndEnablingLetsItLogInAgain() throws Exception {
        String id = createUser("frank", "frank-pw-1");
        ApiClient frank = ApiClient.login(server.baseUrl(), "frank", "frank-pw-1");
        String job = server.admin.call("disableUser", "id", id).response("disableUser").get("jobid").asText();
        assertEquals("disabled", server.admin.awaitJob(job).get("jobresult").get("user").get("state").asText());
        assertEquals(401, frank.call("listZones").status());
        assertEquals(401, login("frank", "frank-pw-1").status());
        assertEquals("enabled", server.admin.call("enableUser", "id", id).response("enableUser").get("user")
                .get("state").asText());
        assertEquals(200, login("frank", "frank-pw-1").status());
    }

    @Test
    void failedLoginsInARowDisableTheUserUntilAnAdminEnablesIt() throws Exception {
        String id = createUser("gina", "gina-pw-1");
        setting("incorrect.login.attempts.allowed", "3");
        try {
            assertEquals(401, login("gina", "wrong-1").status());
            assertEquals(401, login("gina", "wrong-2").status());
            assertEquals(200, login("gina", "gina-pw-1").status(), "a success starts the count again");
            for (int i = 0; i < 3; i++) {
                assertEquals(401, login("gina", "wrong-" + i).status());
            }
            ApiClient.Reply locked = login("gina", "gina-pw-1");
            assertEquals(401, locked.status());
            assertEquals(String.format(FAILED, "gina"), locked.response("login").get("errortext").asText());
            assertEquals("disabled", user(id).get("state").asText());
            server.admin.call("enableUser", "id", id);
            assertEquals(200, login("gina", "gina-pw-1").status());
        } finally {
            setting("incorrect.login.attempts.allowed", "5");
        }
    }

    @Test
    void unknownUsersWrongPasswordsAndDisabledUsersGetTheSameText() throws Exception {
        createUser("hank", "hank-pw-1");
        assertEquals(String.format(FAILED, "nobody"), login("nobody", "x").response("login").get("errortext").asText());
        assertEquals(String.format(FAILED, "hank"), login("hank", "x").response("login").get("errortext").asText());
    }

    @Test
    void aSourceWithTooManyFailuresIsRefusedUntilItsWindowEnds() throws Exception {
        setting("login.source.failures.allowed", "4");
        setting("login.source.failure.window", "3");
        try {
            Thread.sleep(3100);   // failures of other tests from this address fall out of the window
            for (int i = 0; i < 4; i++) {
                assertEquals(401, login("unknown-" + i, "x").status());
            }
            ApiClient.Reply refused = login("admin", TestServer.ADMIN_PASSWORD);
            assertEquals(401, refused.status(), "the right password from a blocked address is refused too");
            assertEquals(String.format(FAILED, "admin"), refused.response("login").get("errortext").asText());
            Thread.sleep(3100);
            ApiClient.Reply after = login("admin", TestServer.ADMIN_PASSWORD);
            assertEquals(200, after.status(), after.body());
        } finally {
            setting("login.source.failures.allowed", "20");
            setting("login.source.failure.window", "300");
        }
    }

    private static ApiClient.Reply login(String user, String password) throws Exception {
        return ApiClient.anonymous(server.baseUrl()).post(loginParams(user, password));
    }

    private static Map<String, String> loginParams(String user, String password) {
        return Map.of("command", "login", "username", user, "password", password, "response", "json");
    }

    private static String createUser(String name, String password) throws Exception {
        return server.admin.call("createAccount", "username", name, "password", password, "email", name + "@example.com",
                "firstname", name, "lastname", name).response("createAccount").get("account").get("user").get(0)
                .get("id").asText();
    }

    private static com.fasterxml.jackson.databind.JsonNode user(String id) throws Exception {
        return server.admin.call("listUsers", "id", id).response("listUsers").get("user").get(0);
    }

    private static void setting(String name, String value) throws Exception {
        assertEquals(200, server.admin.call("updateConfiguration", "name", name, "value", value).status());
    }
}
