package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A crash between a script's statements leaves it 'Started'; the next start re-runs it and tolerates
 * "already there" errors. On a first run, every error stops the upgrade. In-memory scripts, so these
 * do not depend on the real ones.
 */
class HalfAppliedStepIT {

    private static final String ZONES = """
            CREATE TABLE zone (
              id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
              name VARCHAR(64) NOT NULL
            ) ENGINE=InnoDB;
            """;

    /** The first six statements each fail with an "already there" error when run a second time. */
    private static final String HOSTS = """
            -- hosts belong to zones
            CREATE TABLE host (
              id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
              zone_id BIGINT UNSIGNED NOT NULL,
              legacy INT NULL
            ) ENGINE=InnoDB;
            ALTER TABLE host ADD COLUMN name VARCHAR(64) NOT NULL DEFAULT '';
            CREATE INDEX i_host__name ON host (name);
            ALTER TABLE host ADD CONSTRAINT fk_host__zone_id FOREIGN KEY (zone_id) REFERENCES zone (id);
            INSERT INTO zone (id, name) VALUES (1, 'zone-1');
            ALTER TABLE host DROP COLUMN legacy;

            ALTER TABLE host ADD UNIQUE KEY uk_host__zone_name (zone_id, name);
            INSERT INTO host (zone_id, name) VALUES (1, 'kvm-1');
            """;

    private static final int HALF = 6;

    @Test
    void halfAppliedStepIsCompletedAtTheNextStart() throws Exception {
        UpgradeScripts scripts = scripts(HOSTS, "V2__hosts.sql");
        UpgradeScript hosts = scripts.byVersion(2).orElseThrow();
        assertEquals(8, hosts.statements().size());

        try (ThrowAwaySchema crashed = ThrowAwaySchema.create(); ThrowAwaySchema fresh = ThrowAwaySchema.create()) {
            DataSource dataSource = crashed.newDataSource();
            new DbUpgrader(dataSource, scripts).upgradeTo(1);
            for (SqlStatement statement : hosts.statements().subList(0, HALF)) {
                crashed.execute(statement.sql());
            }
            crashed.execute("INSERT INTO `version` (`version`, `description`, `checksum`, `step`, `updated`)"
                    + " VALUES (2, 'hosts', '" + hosts.checksum() + "', 'Started', UTC_TIMESTAMP())");

            UpgradeResult result = new DbUpgrader(dataSource, scripts).upgrade();

            assertEquals(1, result.fromVersion());
            assertEquals(List.of(2), result.applied());
            assertEquals(2, result.toVersion());
            assertEquals(List.of("1 zones " + scripts.byVersion(1).orElseThrow().checksum() + " Complete",
                    "2 hosts " + hosts.checksum() + " Complete"), FreshInstallIT.versionRows(dataSource));

            DataSource freshSource = fresh.newDataSource();
            new DbUpgrader(freshSource, scripts).upgrade();
            assertEquals(List.of(), SchemaSnapshot.of(freshSource, fresh.name())
                    .differences(SchemaSnapshot.of(dataSource, crashed.name())),
                    "completed half-applied schema (+) differs from a fresh install (-)");
        }
    }

    @Test
    void failingStatementOnAFirstRunStopsTheUpgradeNamingTheScript() throws Exception {
        UpgradeScripts scripts = scripts("""
                CREATE TABLE host (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB;
                -- a mistake: zone exists since version 1, and on a first run that is an error
                CREATE TABLE zone (id INT) ENGINE=InnoDB;
                CREATE TABLE never_created (id INT) ENGINE=InnoDB;
                """, "V2__broken.sql");
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();

            DbUpgradeException e = assertThrows(DbUpgradeException.class,
                    () -> new DbUpgrader(dataSource, scripts).upgrade());

            assertEquals("Upgrade script V2__broken.sql failed at statement 2 (line 3: CREATE TABLE zone (id INT)"
                    + " ENGINE=InnoDB): Table 'zone' already exists [error 1050, SQLState 42S01]; version 2 stays"
                    + " 'Started' and is re-run at the next start", e.getMessage());
            List<String> rows = FreshInstallIT.versionRows(dataSource);
            assertEquals(2, rows.size());
            assertTrue(rows.get(0).endsWith(" Complete"), rows.toString());
            assertTrue(rows.get(1).endsWith(" Started"), rows.toString());
            assertEquals(List.of("host", "version", "zone"),
                    SchemaSnapshot.of(dataSource, schema.name()).tableNames());
            RefusalIT.assertLockIsFree(dataSource);
        }
    }

    @Test
    void reRunStillFailsOnErrorsThatDoNotMeanAlreadyApplied() throws Exception {
        UpgradeScripts scripts = scripts("""
                CREATE TABLE host (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB;
                ALTER TABLE host ADD COLUMN zone_id BIGINT UNSIGNED NOT NULL;
                ALTER TABLE host ADD CONSTRAINT fk_host__zone FOREIGN KEY (zone_id) REFERENCES no_such_table (id);
                """, "V2__hosts.sql");
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            new DbUpgrader(dataSource, scripts).upgradeTo(1);
            schema.execute("CREATE TABLE host (id BIGINT UNSIGNED NOT NULL PRIMARY KEY) ENGINE=InnoDB",
                    "INSERT INTO `version` (`version`, `description`, `checksum`, `step`, `updated`) VALUES (2,"
                            + " 'hosts', '" + scripts.byVersion(2).orElseThrow().checksum() + "', 'Started',"
                            + " UTC_TIMESTAMP())");

            DbUpgradeException e = assertThrows(DbUpgradeException.class,
                    () -> new DbUpgrader(dataSource, scripts).upgrade());

            assertTrue(e.getMessage().startsWith("Upgrade script V2__hosts.sql failed at statement 3 (line 3: ALTER"
                    + " TABLE host ADD CONSTRAINT fk_host__zone FOREIGN KEY"), e.getMessage());
            assertTrue(e.getMessage().contains("[error 1005, SQLState HY000]"), e.getMessage());
            assertTrue(e.getMessage().endsWith(" while re-running it after an interrupted upgrade; version 2 stays"
                    + " 'Started' and is re-run at the next start"), e.getMessage());
        }
    }

    private static UpgradeScripts scripts(String second, String secondName) {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("V1__zones.sql", ZONES);
        texts.put(secondName, second);
        return UpgradeScripts.of(texts);
    }
}
