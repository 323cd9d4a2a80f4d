package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScriptApplierTest {

    @ParameterizedTest
    @ValueSource(ints = {1050, 1060, 1061, 1091, 1826, 1022, 1068, 1051})
    void schemaErrorsThatMeanAlreadyAppliedAreRecognised(int code) {
        assertTrue(ScriptApplier.meansAlreadyApplied(error(code, "x"), "ALTER TABLE t ADD COLUMN c INT"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1064, 1054, 1146, 1215, 1292, 1406, 1048, 0})
    void otherErrorsAreNot(int code) {
        assertFalse(ScriptApplier.meansAlreadyApplied(error(code, "x"), "ALTER TABLE t ADD COLUMN c INT"));
    }

    @Test
    void duplicateEntryCountsOnlyForInserts() {
        assertTrue(ScriptApplier.meansAlreadyApplied(error(1062, "Duplicate entry '1'"),
                "\n insert INTO t VALUES (1)"));
        assertFalse(ScriptApplier.meansAlreadyApplied(error(1062, "Duplicate entry 'a'"),
                "ALTER TABLE t ADD UNIQUE KEY uk_t_name (name)"));
    }

    @Test
    void mariaDbDuplicateForeignKeyNameCounts() {
        assertTrue(ScriptApplier.meansAlreadyApplied(error(1005,
                "Can't create table `s`.`a` (errno: 121 \"Duplicate key on write or update\")"), "ALTER TABLE a ADD"));
        assertFalse(ScriptApplier.meansAlreadyApplied(error(1005,
                "Can't create table `s`.`a` (errno: 150 \"Foreign key constraint is incorrectly formed\")"), "ALTER"));
    }

    @Test
    void excerptIsOneShortLine() {
        assertEquals("CREATE TABLE a ( id INT )", ScriptApplier.excerpt("CREATE TABLE a (\n  id INT\n)"));
        String excerpt = ScriptApplier.excerpt("INSERT INTO t VALUES ('" + "x".repeat(200) + "')");
        assertEquals(81, excerpt.length());
        assertTrue(excerpt.endsWith("…"));
    }

    @Test
    void excerptMasksLiteralsOfStatementsThatMayHoldCredentials() {
        assertEquals("UPDATE user SET password = '***', api_key = '***' WHERE id = 2",
                ScriptApplier.excerpt("UPDATE user SET password = 'hunter2', api_key = 'it''s' WHERE id = 2"));
        assertEquals("UPDATE zone SET name = 'z1'", ScriptApplier.excerpt("UPDATE zone SET name = 'z1'"));
    }

    private static SQLException error(int code, String message) {
        return new SQLException(message, "HY000", code);
    }
}
