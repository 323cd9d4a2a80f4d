package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.testing.LogCapture;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A genuine internal fault over HTTP: 530 with an incident id the ERROR log line shares, and no internals. */
class InternalErrorIT {

    private static final Pattern INTERNALS = Pattern.compile(
            "SQL|Table|Data too long|Exception|java\\.|io\\.rbdstack|INSERT|SELECT|\\bat [a-z]+\\.",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INCIDENT = Pattern.compile(" \\(incident ([0-9a-f]{8})\\); see the management server log$");

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();

    @Test
    void aDatabaseFaultIs530WithAnIncidentIdTheErrorLogLineAlsoCarries() throws Exception {
        sql("RENAME TABLE disk_offering TO disk_offering_away");
        try (LogCapture log = new LogCapture()) {
            ApiClient.Reply reply = cloud.admin().call("listDiskOfferings");
            assertEquals(530, reply.status(), reply.body());
            JsonNode error = reply.response("listDiskOfferings");
            assertEquals(530, error.get("errorcode").asInt());
            assertEquals(4250, error.get("cserrorcode").asInt());
            String text = error.get("errortext").asText();
            Matcher incident = INCIDENT.matcher(text);
            assertTrue(incident.find(), text);
            assertEquals("Internal error running listDiskOfferings", text.substring(0, incident.start()));
            assertFalse(INTERNALS.matcher(reply.body()).find(), reply.body());
            List<String> errors = log.errors();
            assertTrue(errors.stream().anyMatch(line -> line.contains("Incident " + incident.group(1))
                    && line.contains("disk_offering")), "the log has the id and the SQL error: " + errors);
        } finally {
            sql("RENAME TABLE disk_offering_away TO disk_offering");
        }
        assertEquals(200, cloud.admin().call("listDiskOfferings").status());
    }

    /** The malformed-call corpus' case: a 256-character name once answered 530 quoting the SQL error. */
    @Test
    void aTooLongAccountNameNeverLeaksTheDatabaseError() throws Exception {
        String name = "n".repeat(256);
        ApiClient.Reply reply = cloud.admin().call("createAccount", "username", name, "account", name,
                "password", "secret-password", "firstname", "F", "lastname", "L", "email", "f@example.com");
        assertEquals(431, reply.status(), reply.body());
        String text = reply.response("createAccount").get("errortext").asText();
        assertEquals("Invalid value for parameter username: 256 characters, longer than the 255 allowed", text);
        assertFalse(INTERNALS.matcher(text).find(), text);
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = cloud.db().connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
