package io.rbdstack.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.db.DataAccessException;
import io.rbdstack.testing.LogCapture;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A failed job's jobresult: a caller's error as it is, an internal fault as an incident without its details. */
class AsyncJobFailureTest {

    private static final Pattern INCIDENT = Pattern.compile(" \\(incident ([0-9a-f]{8})\\); see the management server log$");

    @Test
    void anUnexpectedExceptionIsAnIncidentWhoseJobresultCarriesNoSqlNorClassName() throws Exception {
        RuntimeException bug = new DataAccessException("SQL failed (1205 Lock wait timeout exceeded): UPDATE volumes"
                + " SET state = ?", new SQLException("Lock wait timeout exceeded", "HY000", 1205));
        try (LogCapture log = new LogCapture()) {
            ApiException failure = AsyncJobManager.failure("job-1", "createVolume", bug);
            JsonNode result = ApiJson.MAPPER.readTree(AsyncJobManager.errorResult(failure));
            assertEquals(530, result.get("errorcode").asInt());
            assertEquals(4250, result.get("cserrorcode").asInt());
            String text = result.get("errortext").asText();
            assertTrue(text.startsWith("Internal error running createVolume (incident "), text);
            assertFalse(text.contains("SQL") || text.contains("Lock wait") || text.contains("Exception"), text);
            Matcher id = INCIDENT.matcher(text);
            assertTrue(id.find(), text);
            assertTrue(log.errors().stream().anyMatch(l -> l.contains("Incident " + id.group(1) + ": Job job-1"
                    + " (createVolume) failed") && l.contains("Lock wait timeout")), log.errors().toString());
        }
    }

    @Test
    void aSummarisedInternalErrorKeepsItsSummaryAndGetsAnIncident() {
        ApiException failure = AsyncJobManager.failure("job-2", "createVolume", ApiException.internal(
                "Volume v was not created", new IllegalStateException("volume 42 left Creating")));
        assertEquals(530, failure.errorCode().httpCode());
        assertTrue(failure.getMessage().startsWith("Volume v was not created (incident "), failure.getMessage());
        assertTrue(INCIDENT.matcher(failure.getMessage()).find(), failure.getMessage());
    }

    @Test
    void aCallersErrorIsReportedAsItIs() {
        ApiException unavailable = ApiException.unavailable("Host h is not connected");
        try (LogCapture log = new LogCapture()) {
            assertSame(unavailable, AsyncJobManager.failure("job-3", "reconnectHost", unavailable));
            assertTrue(log.errors().isEmpty(), "not an incident: " + log.errors());
        }
    }
}
