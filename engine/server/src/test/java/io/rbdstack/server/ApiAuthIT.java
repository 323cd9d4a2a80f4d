package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.auth.crypto.ApiSignature;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sessions, API-key signatures (v2 and v3 with expires) and roles, on a real server and DB. */
class ApiAuthIT {

    private static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static String userApiKey;
    static String userSecretKey;

    @BeforeAll
    static void start() throws Exception {
        JsonNode account = cloud.admin().call("createAccount", "username", "alice", "password", "alice-pass-1",
                "email", "alice@example.com", "firstname", "Alice", "lastname", "Doe", "accounttype", "0")
                .response("createAccount").get("account");
        String userId = account.get("user").get(0).get("id").asText();
        ApiClient alice = ApiClient.login(cloud.baseUrl(), "alice", "alice-pass-1");
        JsonNode keys = alice.call("registerUserKeys", "id", userId).response("registerUserKeys").get("userkeys");
        userApiKey = keys.get("apikey").asText();
        userSecretKey = keys.get("secretkey").asText();
    }

    @Test
    void loginByGetIsRefusedWith405() throws Exception {
        ApiClient.Reply reply = ApiClient.anonymous(cloud.baseUrl()).get(Map.of("command", "login",
                "username", "admin", "password", TestServer.ADMIN_PASSWORD, "response", "json"));
        assertEquals(405, reply.status());
        assertEquals(405, reply.response("login").get("errorcode").asInt());
    }

    @Test
    void wrongPasswordIs401() throws Exception {
        ApiClient.Reply reply = ApiClient.anonymous(cloud.baseUrl()).post(Map.of("command", "login",
                "username", "admin", "password", "not-the-password", "response", "json"));
        assertEquals(401, reply.status());
        assertNull(reply.response("login").get("cserrorcode"), "CloudStack sends no cserrorcode with 401");
    }

    @Test
    void sessionCallsWorkAndNeedTheSessionKey() throws Exception {
        assertEquals(200, cloud.admin().call("listZones").status());
        // Same cookie, no sessionkey: refused (CloudStack's guard against cross-site requests).
        ApiClient.Reply noKey = ApiClient.anonymous(cloud.baseUrl()).call("listZones");
        assertEquals(401, noKey.status());
    }

    @Test
    void signedRequestIsAccepted() throws Exception {
        ApiClient alice = ApiClient.withKeys(cloud.baseUrl(), userApiKey, userSecretKey);
        ApiClient.Reply reply = alice.call("listZones", "name", "no such zone *~+/=");
        assertEquals(200, reply.status(), reply.body());
        assertEquals("application/json; charset=UTF-8", reply.contentType());
    }

    @Test
    void badSignatureIs401() throws Exception {
        ApiClient forged = ApiClient.withKeys(cloud.baseUrl(), userApiKey, "not-the-secret-key");
        ApiClient.Reply reply = forged.call("listZones");
        assertEquals(401, reply.status());
        assertEquals("unable to verify user credentials and/or request signature",
                reply.response("listZones").get("errortext").asText());
    }

    @Test
    void signatureVersion3HonoursExpires() throws Exception {
        assertEquals(200, signedV3(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5)).status());
        assertEquals(401, signedV3(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(5)).status());
        Map<String, String> noExpires = new LinkedHashMap<>(Map.of("command", "listZones", "response", "json",
                "apiKey", userApiKey, "signatureVersion", "3"));
        noExpires.put("signature", ApiSignature.sign(noExpires, userSecretKey));
        assertEquals(401, ApiClient.anonymous(cloud.baseUrl()).get(noExpires).status());
    }

    @Test
    void userCannotRunAdminCommands() throws Exception {
        ApiClient alice = ApiClient.withKeys(cloud.baseUrl(), userApiKey, userSecretKey);
        ApiClient.Reply reply = alice.call("createZone", "name", "z", "dns1", "8.8.8.8", "internaldns1", "8.8.4.4",
                "networktype", "Advanced");
        assertEquals(432, reply.status(), reply.body());
        assertTrue(reply.response("createZone").get("errortext").asText().contains("not available for user alice"));
        // listApis hides what the user may not run.
        JsonNode apis = alice.call("listApis").response("listApis").get("api");
        for (JsonNode api : apis) {
            assertFalse(api.get("name").asText().equals("createZone"));
        }
    }

    @Test
    void unknownCommandIs432InErrorResponse() throws Exception {
        ApiClient.Reply reply = cloud.admin().call("noSuchCommand");
        assertEquals(432, reply.status());
        assertEquals(432, reply.json().get("errorresponse").get("errorcode").asInt());
    }

    @Test
    void logoutEndsTheSession() throws Exception {
        ApiClient bob = ApiClient.login(cloud.baseUrl(), "alice", "alice-pass-1");
        assertEquals(200, bob.call("listZones").status());
        assertEquals(200, bob.call("logout").status());
        assertEquals(401, bob.call("listZones").status());
    }

    @Test
    void secretKeyIsStoredEncrypted() throws Exception {
        try (var c = cloud.db().connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT secret_key, password FROM user WHERE api_key = '" + userApiKey + "'")) {
            rs.next();
            assertFalse(rs.getString(1).contains(userSecretKey));
            assertTrue(rs.getString(1).startsWith("v1:"), "AES-GCM ciphertext");
            assertFalse(rs.getString(2).contains("alice-pass-1"));
        }
    }

    private ApiClient.Reply signedV3(OffsetDateTime expires) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(Map.of("command", "listZones", "response", "json",
                "apiKey", userApiKey, "signatureVersion", "3", "expires", EXPIRES.format(expires)));
        params.put("signature", ApiSignature.sign(params, userSecretKey));
        return ApiClient.anonymous(cloud.baseUrl()).get(params);
    }
}
