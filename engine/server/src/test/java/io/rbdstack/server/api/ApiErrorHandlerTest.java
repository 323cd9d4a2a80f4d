package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.testing.LogCapture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What Jetty refuses on its own, as CloudStack's error envelope. */
class ApiErrorHandlerTest {

    private final ApiErrorHandler handler = new ApiErrorHandler(new HttpLimits(65_536, 1_048_576));

    @Test
    void aRequestJettyCannotParseIs430() throws Exception {
        JsonNode error = envelope(handler.replyFor(400, null, ResponseFormat.JSON), 430);
        assertEquals(9999, error.get("cserrorcode").asInt());
        assertEquals("Malformed HTTP request: it could not be parsed", error.get("errortext").asText());
    }

    @Test
    void requestsOverTheLimitsAre431NamingTheLimit() throws Exception {
        assertEquals("Request URL longer than the 65536 bytes this server accepts; send the parameters as a POSTed form",
                envelope(handler.replyFor(414, null, ResponseFormat.JSON), 431).get("errortext").asText());
        assertEquals("Request headers larger than the 65536 bytes this server accepts",
                envelope(handler.replyFor(431, null, ResponseFormat.JSON), 431).get("errortext").asText());
        assertEquals("Request body larger than the 1048576 bytes this server accepts",
                envelope(handler.replyFor(413, null, ResponseFormat.JSON), 431).get("errortext").asText());
    }

    @Test
    void anExceptionThatEscapedAHandlerIsAnIncidentWithoutItsClassOrMessage() throws Exception {
        try (LogCapture log = new LogCapture()) {
            JsonNode error = envelope(handler.replyFor(500, new NullPointerException(
                    "Cannot invoke \"String.length()\" because \"name\" is null"), ResponseFormat.JSON), 530);
            String text = error.get("errortext").asText();
            Matcher id = Pattern.compile("^Internal error handling the request \\(incident ([0-9a-f]{8})\\);"
                    + " see the management server log$").matcher(text);
            assertTrue(id.matches(), text);
            assertTrue(log.errors().stream().anyMatch(l -> l.contains("Incident " + id.group(1))
                    && l.contains("java.lang.NullPointerException")), log.errors().toString());
        }
    }

    @Test
    void anyOtherStatusKeepsItsCodeWithItsReason() throws Exception {
        JsonNode error = envelope(handler.replyFor(404, null, ResponseFormat.JSON), 404);
        assertEquals("Not Found", error.get("errortext").asText());
        assertFalse(error.has("cserrorcode"));
    }

    @Test
    void xmlUnlessJsonWasAskedFor() {
        ApiReply reply = handler.replyFor(400, null, ResponseFormat.XML);
        assertEquals("text/xml; charset=UTF-8", reply.format().contentType());
        assertTrue(reply.body().startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><errorresponse"), reply.body());
        assertTrue(reply.body().contains("<errorcode>430</errorcode>"), reply.body());
    }

    /** The errorresponse of a JSON reply whose HTTP status and errorcode are both {@code code}. */
    private static JsonNode envelope(ApiReply reply, int code) throws Exception {
        assertEquals(code, reply.status());
        JsonNode error = ApiJson.MAPPER.readTree(reply.body()).get("errorresponse");
        assertEquals(code, error.get("errorcode").asInt());
        assertEquals(0, error.get("uuidList").size());
        String body = reply.body();
        assertFalse(body.contains("Exception") || body.contains("org.eclipse") || body.contains("<html"), body);
        return error;
    }
}
