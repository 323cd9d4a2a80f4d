package io.rbdstack.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SqlModeParamsTest {

    @Test
    void dropsTheModeAndKeepsTheRest() {
        String params = "prepStmtCacheSize=517&sessionVariables=sql_mode='STRICT_TRANS_TABLES,NO_AUTO_CREATE_USER,"
                + "NO_ENGINE_SUBSTITUTION'&serverTimezone=UTC";
        assertEquals("prepStmtCacheSize=517&sessionVariables=sql_mode='STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION'"
                + "&serverTimezone=UTC", SqlModeParams.withoutMode(params, "NO_AUTO_CREATE_USER").orElseThrow());
    }

    @Test
    void worksWithUrlEncodedQuotesAndLastPosition() {
        String params = "sessionVariables=sql_mode=%27STRICT_TRANS_TABLES,NO_AUTO_CREATE_USER%27";
        assertEquals("sessionVariables=sql_mode=%27STRICT_TRANS_TABLES%27",
                SqlModeParams.withoutMode(params, "NO_AUTO_CREATE_USER").orElseThrow());
    }

    @Test
    void nothingToDropIsEmpty() {
        assertTrue(SqlModeParams.withoutMode("serverTimezone=UTC", "NO_AUTO_CREATE_USER").isEmpty());
        assertTrue(SqlModeParams.withoutMode("sessionVariables=sql_mode='STRICT_TRANS_TABLES'", "NO_AUTO_CREATE_USER").isEmpty());
    }
}
