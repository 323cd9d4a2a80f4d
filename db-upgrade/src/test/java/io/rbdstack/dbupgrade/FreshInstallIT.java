package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** An empty schema gets every script of the class path, once. */
class FreshInstallIT {

    @Test
    void freshInstallAppliesEveryScriptAndLeavesEveryRowComplete() throws Exception {
        UpgradeScripts scripts = UpgradeScripts.fromClasspath();
        assertFalse(scripts.all().isEmpty(), "no upgrade scripts listed in " + UpgradeScripts.INDEX);
        List<Integer> versions = scripts.all().stream().map(UpgradeScript::version).toList();

        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            UpgradeResult result = new DbUpgrader(dataSource).upgrade();

            assertEquals(0, result.fromVersion());
            assertEquals(scripts.newestVersion(), result.toVersion());
            assertEquals(versions, result.applied());

            List<String> expectedRows = new ArrayList<>();
            for (UpgradeScript script : scripts.all()) {
                expectedRows.add(script.version() + " " + script.description() + " " + script.checksum() + " Complete");
            }
            assertEquals(expectedRows, versionRows(dataSource));

            Set<String> expectedTables = new TreeSet<>(ScriptTables.expected(scripts));
            expectedTables.add("version");
            assertEquals(expectedTables, new TreeSet<>(SchemaSnapshot.of(dataSource, schema.name()).tableNames()));

            UpgradeResult again = new DbUpgrader(dataSource).upgrade();
            assertEquals(new UpgradeResult(scripts.newestVersion(), scripts.newestVersion(), List.of(),
                    again.waitedForLock()), again);
        }
    }

    @Test
    void versionTableHasTheAgreedShape() throws Exception {
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            new DbUpgrader(dataSource, UpgradeScripts.of(List.of())).upgrade();

            List<String> columns = SchemaSnapshot.of(dataSource, schema.name()).facts().get("column").stream()
                    .filter(c -> c.startsWith("version | "))
                    .map(c -> c.replaceAll(" \\| (CHARACTER_SET_NAME|COLLATION_NAME|COLUMN_COMMENT)=[^|]*?(?= \\| |$)",
                            ""))
                    .toList();
            assertEquals(List.of(
                    "version | COLUMN_NAME=checksum | ORDINAL_POSITION=4 | COLUMN_TYPE=char(64) | IS_NULLABLE=NO"
                            + " | COLUMN_DEFAULT=NULL | EXTRA= | COLUMN_KEY=",
                    "version | COLUMN_NAME=description | ORDINAL_POSITION=3 | COLUMN_TYPE=varchar(255) | IS_NULLABLE=NO"
                            + " | COLUMN_DEFAULT=NULL | EXTRA= | COLUMN_KEY=",
                    "version | COLUMN_NAME=id | ORDINAL_POSITION=1 | COLUMN_TYPE=bigint(20) unsigned | IS_NULLABLE=NO"
                            + " | COLUMN_DEFAULT=NULL | EXTRA=auto_increment | COLUMN_KEY=PRI",
                    "version | COLUMN_NAME=step | ORDINAL_POSITION=5 | COLUMN_TYPE=varchar(16) | IS_NULLABLE=NO"
                            + " | COLUMN_DEFAULT=NULL | EXTRA= | COLUMN_KEY=",
                    "version | COLUMN_NAME=updated | ORDINAL_POSITION=6 | COLUMN_TYPE=datetime | IS_NULLABLE=NO"
                            + " | COLUMN_DEFAULT=NULL | EXTRA= | COLUMN_KEY=",
                    "version | COLUMN_NAME=version | ORDINAL_POSITION=2 | COLUMN_TYPE=int(11) | IS_NULLABLE=NO"
                            + " | COLUMN_DEFAULT=NULL | EXTRA= | COLUMN_KEY=UNI"), columns);
        }
    }

    /** "version description checksum step" per row, with {@code updated} set. */
    static List<String> versionRows(DataSource dataSource) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT `version`, `description`, `checksum`, `step`, `updated`"
                     + " FROM `version` ORDER BY `version`")) {
            while (rs.next()) {
                assertNotNull(rs.getTimestamp(5), "updated of version " + rs.getInt(1));
                rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return rows;
    }
}
