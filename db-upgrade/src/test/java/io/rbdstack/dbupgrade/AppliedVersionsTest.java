package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedVersionsTest {

    private static final UpgradeScripts SCRIPTS = scripts();

    @Test
    void highestCompletedVersionIsReturned() throws DbUpgradeException {
        assertEquals(0, AppliedVersions.verify(List.of(), SCRIPTS));
        assertEquals(2, AppliedVersions.verify(List.of(complete(1), complete(2), started(3)), SCRIPTS));
    }

    @Test
    void newerDatabaseIsRefused() {
        DbUpgradeException e = assertThrows(DbUpgradeException.class, () -> AppliedVersions.verify(
                List.of(complete(1), new AppliedVersion(5, "x", "ab", VersionTable.COMPLETE)), SCRIPTS));
        assertEquals("Database schema version 5 is newer than this server, which knows up to version 3;"
                + " refusing to start", e.getMessage());
    }

    @Test
    void changedScriptIsRefusedNamingIt() {
        String inDb = "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d1a2b";
        String inCode = SCRIPTS.byVersion(2).orElseThrow().checksum();
        DbUpgradeException e = assertThrows(DbUpgradeException.class, () -> AppliedVersions.verify(
                List.of(complete(1), new AppliedVersion(2, "infrastructure", inDb, VersionTable.COMPLETE)), SCRIPTS));
        assertEquals("Upgrade script V2__infrastructure.sql was changed after it was applied to this database"
                + " (checksum in DB 1a2b3c4d5e6f…, in code " + inCode.substring(0, 12) + "…); refusing to start",
                e.getMessage());
    }

    @Test
    void versionUnknownToTheCodeIsRefused() {
        UpgradeScripts withGap = UpgradeScripts.of(Map.of("V3__c.sql", "SELECT 3;"));
        DbUpgradeException e = assertThrows(DbUpgradeException.class,
                () -> AppliedVersions.verify(List.of(new AppliedVersion(2, "old", "ab", "Complete")), withGap));
        assertEquals("Database schema version 2 (old) was applied by an upgrade script this server does not have;"
                + " refusing to start", e.getMessage());
    }

    @Test
    void scriptSlippedInBelowTheDatabaseVersionIsRefused() {
        DbUpgradeException e = assertThrows(DbUpgradeException.class,
                () -> AppliedVersions.verify(List.of(complete(1), complete(3)), SCRIPTS));
        assertEquals("Upgrade script V2__infrastructure.sql is below the database's schema version 3 but was never"
                + " completed on it (scripts must only be added above the newest released version); refusing to"
                + " start", e.getMessage());
    }

    private static AppliedVersion complete(int version) {
        return row(version, VersionTable.COMPLETE);
    }

    private static AppliedVersion started(int version) {
        return row(version, VersionTable.STARTED);
    }

    private static AppliedVersion row(int version, String step) {
        UpgradeScript script = SCRIPTS.byVersion(version).orElseThrow();
        return new AppliedVersion(version, script.description(), script.checksum(), step);
    }

    private static UpgradeScripts scripts() {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("V1__core.sql", "CREATE TABLE a (id INT);\n");
        texts.put("V2__infrastructure.sql", "CREATE TABLE b (id INT);\n");
        texts.put("V3__storage.sql", "CREATE TABLE c (id INT);\n");
        return UpgradeScripts.of(texts);
    }
}
