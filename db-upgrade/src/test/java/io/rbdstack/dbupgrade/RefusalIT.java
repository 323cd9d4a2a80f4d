package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Situations in which the upgrader refuses to start the server, and says why. */
class RefusalIT {

    @Test
    void scriptChangedAfterItWasAppliedIsRefusedByName() throws Exception {
        UpgradeScripts scripts = UpgradeScripts.fromClasspath();
        UpgradeScript original = scripts.all().get(0);
        UpgradeScript tampered = UpgradeScript.of(original.fileName(), original.text() + "\n-- edited after release\n");
        List<UpgradeScript> withTampered = new ArrayList<>(scripts.all());
        withTampered.set(0, tampered);

        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            new DbUpgrader(dataSource).upgrade();
            List<String> rowsBefore = FreshInstallIT.versionRows(dataSource);

            DbUpgradeException e = assertThrows(DbUpgradeException.class,
                    () -> new DbUpgrader(dataSource, UpgradeScripts.of(withTampered)).upgrade());

            assertEquals("Upgrade script " + original.fileName() + " was changed after it was applied to this database"
                    + " (checksum in DB " + original.checksum().substring(0, 12) + "…, in code "
                    + tampered.checksum().substring(0, 12) + "…); refusing to start", e.getMessage());
            assertEquals(rowsBefore, FreshInstallIT.versionRows(dataSource));
            assertLockIsFree(dataSource);
        }
    }

    @Test
    void databaseNewerThanTheCodeIsRefused() throws Exception {
        UpgradeScripts scripts = UpgradeScripts.fromClasspath();
        int newest = scripts.newestVersion();
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            new DbUpgrader(dataSource).upgrade();
            schema.execute("INSERT INTO `version` (`version`, `description`, `checksum`, `step`, `updated`) VALUES ("
                    + (newest + 1) + ", 'from the future', '" + "0".repeat(64) + "', 'Complete', UTC_TIMESTAMP())");

            DbUpgradeException e = assertThrows(DbUpgradeException.class, () -> new DbUpgrader(dataSource).upgrade());

            assertEquals("Database schema version " + (newest + 1) + " is newer than this server, which knows up to"
                    + " version " + newest + "; refusing to start", e.getMessage());
            assertLockIsFree(dataSource);
        }
    }

    @Test
    void lockHeldByAnotherServerTimesOutNamingItsConnection() throws Exception {
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource other = schema.newDataSource();
            try (Connection holder = other.getConnection()) {
                long holderId = scalar(holder, "SELECT CONNECTION_ID()");
                assertEquals(1, scalar(holder, "SELECT GET_LOCK('" + UpgradeLock.nameFor(holder.getCatalog()) + "', 0)"));

                DbUpgrader upgrader = new DbUpgrader(schema.newDataSource()).withLockTimeout(Duration.ofSeconds(1));
                DbUpgradeException e = assertThrows(DbUpgradeException.class, upgrader::upgrade);

                assertEquals("Timed out after 1 s waiting for the database upgrade lock '" + UpgradeLock.nameFor(holder.getCatalog()) + "', held by"
                        + " database connection id " + holderId + " (another management server upgrading this"
                        + " database?); refusing to start", e.getMessage());
                scalar(holder, "SELECT RELEASE_LOCK('" + UpgradeLock.nameFor(holder.getCatalog()) + "')");
            }
        }
    }

    static void assertLockIsFree(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            assertEquals(1, scalar(c, "SELECT IS_FREE_LOCK('" + UpgradeLock.nameFor(c.getCatalog()) + "')"), "upgrade lock still held");
        }
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
