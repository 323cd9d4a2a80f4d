package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.db.DataAccessException;
import io.rbdstack.testing.LogCapture;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class IncidentTest {

    static final Pattern ERRORTEXT = Pattern.compile("(.*) \\(incident ([0-9a-f]{8})\\); see the management server log");

    @Test
    void theCallerGetsTheSummaryAndAnIdWhileTheErrorLogLineWithTheSameIdGetsTheDetails() {
        DataAccessException sql = new DataAccessException("SQL failed (1406 Data too long for column 'account_name'"
                + " at row 1): INSERT INTO account (account_name) VALUES (?)",
                new SQLException("Data too long for column 'account_name' at row 1", "22001", 1406));
        ApiException answer;
        List<String> errors;
        try (LogCapture log = new LogCapture()) {
            answer = Incident.report(LoggerFactory.getLogger(IncidentTest.class), "API command createAccount",
                    "Cannot create account x", sql);
            errors = log.errors();
        }
        assertEquals(ApiErrorCode.INTERNAL_ERROR, answer.errorCode());
        assertEquals(ApiException.CS_CLOUD_RUNTIME, answer.csErrorCode());
        Matcher text = ERRORTEXT.matcher(answer.getMessage());
        assertTrue(text.matches(), answer.getMessage());
        assertEquals("Cannot create account x", text.group(1));
        assertFalse(answer.getMessage().contains("SQL"), answer.getMessage());
        String id = text.group(2);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("Incident " + id + ": API command createAccount failed: Cannot create account x"),
                errors.get(0));
        assertTrue(errors.get(0).contains("java.sql.SQLException: Data too long"), "the cause is logged: " + errors);
    }

    @Test
    void idsAreEightHexDigitsAndDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = Incident.open().id();
            assertTrue(id.matches("[0-9a-f]{8}"), id);
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }
}
