package io.rbdstack.dbupgrade.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.dbupgrade.UpgradeScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SQL statement of the project runs on MySQL 5.7 (full strict sql_mode) as well as on the
 * MariaDB the tests use: the patterns MariaDB lets through but MySQL 5.7 rejects, and syntax that
 * only one of them has, are refused here, naming file and line.
 */
class SqlPortabilityTest {

    @Test
    void everySqlStatementOfTheProjectIsPortable() throws IOException {
        Path root = ProjectSqlScan.repositoryRoot(Path.of(""));
        ProjectSqlScan.Result result = ProjectSqlScan.scan(root);

        System.out.printf("SQL portability scan: %d .sql files, %d Java files (%d with SQL), %d statements%n",
                result.sqlFiles().size(), result.javaFiles().size(), result.filesWithSql().size(), result.snippets());
        // The scan must have seen real SQL, or it would pass by seeing nothing.
        String versionTable = "db-upgrade/src/main/java/io/rbdstack/dbupgrade/VersionTable.java";
        assertTrue(result.filesWithSql().contains(versionTable), "no SQL found in " + versionTable);
        for (String script : UpgradeScripts.parseIndex(Files.readString(
                root.resolve("db-upgrade/src/main/resources").resolve(UpgradeScripts.INDEX)))) {
            String path = "db-upgrade/src/main/resources/" + UpgradeScripts.DIRECTORY + script;
            assertTrue(result.filesWithSql().contains(path), "no SQL found in " + path);
        }

        assertEquals("", result.violations().stream().map(Object::toString).collect(Collectors.joining("\n")),
                result.violations().size() + " SQL statement(s) would fail on MySQL 5.7 or MariaDB");
    }

    @Test
    void violationsNameFileAndLineInSqlAndJavaOfEveryModuleButNotInTests(@TempDir Path repo) throws IOException {
        write(repo, "pom.xml", "<modules>\n  <module>engine/api</module>\n</modules>\n");
        write(repo, "db/src/main/resources/V1__x.sql", "-- comment\nCREATE TABLE t (id INT);\n\n"
                + "SELECT DISTINCT a\nFROM t\nORDER BY b;\n");
        write(repo, "engine/server/src/main/java/Dao.java", "class Dao {\n  String ok = \"SELECT 1\";\n"
                + "  String bad = \"SELECT dept, COUNT(*) FROM t \"\n      + \"GROUP BY dept \"\n"
                + "      + \"ORDER BY name\";\n  String prose = \"Select a zone; the arrow -> helps\";\n}\n");
        write(repo, "engine/server/src/test/java/DaoTest.java",
                "class DaoTest { String s = \"SELECT @@tx_isolation\"; }");
        write(repo, "engine/server/src/main/resources/seed.sql", "INSERT INTO t VALUES (1) RETURNING id;\n");

        ProjectSqlScan.Result result = ProjectSqlScan.scan(ProjectSqlScan.repositoryRoot(
                Files.createDirectories(repo.resolve("engine/server/src"))));

        assertEquals(List.of(
                        "db/src/main/resources/V1__x.sql:6 distinct-order-by",
                        "engine/server/src/main/java/Dao.java:5 group-by-order-by",
                        "engine/server/src/main/resources/seed.sql:1 returning"),
                result.violations().stream().map(v -> v.file() + ":" + v.line() + " " + v.rule()).sorted().toList());
        assertEquals(List.of("engine/server/src/main/java/Dao.java"), result.javaFiles());
    }

    private static void write(Path root, String file, String text) throws IOException {
        Path path = root.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
