package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What the upgrader says before it ever reaches a database. */
class DbUpgraderTest {

    private static final UpgradeScripts SCRIPTS = UpgradeScripts.of(Map.of("V1__a.sql", "SELECT 1;",
            "V2__b.sql", "SELECT 2;"));

    @Test
    void unknownTargetVersionIsRefused() {
        DbUpgradeException e = assertThrows(DbUpgradeException.class,
                () -> new DbUpgrader(unreachable(), SCRIPTS).upgradeTo(3));
        assertEquals("Cannot upgrade to version 3: this server's upgrade scripts go up to version 2", e.getMessage());
    }

    @Test
    void unreachableDatabaseIsReportedAsSuch() {
        DbUpgradeException e = assertThrows(DbUpgradeException.class,
                () -> new DbUpgrader(unreachable(), SCRIPTS).upgrade());
        assertEquals("Cannot connect to the database to check its schema version: Connection refused", e.getMessage());
    }

    @Test
    void classpathScriptsAreUsedByDefault() {
        // The real index loads; the failure is the connection, not the scripts.
        DbUpgradeException e = assertThrows(DbUpgradeException.class, () -> new DbUpgrader(unreachable()).upgrade());
        assertEquals("Cannot connect to the database to check its schema version: Connection refused", e.getMessage());
    }

    private static DataSource unreachable() {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    throw new SQLException("Connection refused", "08001");
                });
    }
}
