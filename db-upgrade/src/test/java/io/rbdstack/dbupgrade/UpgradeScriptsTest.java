package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpgradeScriptsTest {

    @Test
    void versionDescriptionAndChecksumComeFromNameAndText() {
        UpgradeScript script = UpgradeScript.of("V12__ipv6_guest_prefixes.sql", "abc");

        assertEquals(12, script.version());
        assertEquals("ipv6 guest prefixes", script.description());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", script.checksum());
    }

    @Test
    void checksumIgnoresWindowsLineEndings() {
        assertEquals(UpgradeScript.checksum("a;\nb;\n"), UpgradeScript.checksum("a;\r\nb;\r\n"));
        assertTrue(!UpgradeScript.checksum("a;\n").equals(UpgradeScript.checksum("a; \n")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"V1_core.sql", "v1__core.sql", "V0__core.sql", "V01__core.sql", "V1__.sql",
            "V1__core.SQL", "V1__core.sql.bak", "Vx__core.sql", "V1__core sql.sql"})
    void badNamesAreRejected(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UpgradeScript.of(name, ""));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void versionsMustStrictlyIncrease() {
        List<UpgradeScript> scripts = List.of(UpgradeScript.of("V2__b.sql", "SELECT 1;"),
                UpgradeScript.of("V1__a.sql", "SELECT 1;"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UpgradeScripts.of(scripts));
        assertTrue(e.getMessage().contains("V1__a.sql comes after V2__b.sql"), e.getMessage());
    }

    @Test
    void inMemoryScriptsAreOrderedByVersionWhichMustBeUnique() {
        UpgradeScripts scripts = UpgradeScripts.of(Map.of("V10__c.sql", "SELECT 3;", "V9__b.sql", "SELECT 2;",
                "V1__a.sql", "SELECT 1;"));
        assertEquals(List.of(1, 9, 10), scripts.all().stream().map(UpgradeScript::version).toList());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UpgradeScripts.of(Map.of("V2__b.sql", "SELECT 1;", "V2__c.sql", "SELECT 1;")));
        assertTrue(e.getMessage().contains("comes after"), e.getMessage());
    }

    @Test
    void gapsAreAllowedAndNewestIsTheLast() {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("V1__a.sql", "SELECT 1;");
        texts.put("V5__b.sql", "SELECT 2;");
        UpgradeScripts scripts = UpgradeScripts.of(texts);

        assertEquals(5, scripts.newestVersion());
        assertEquals("V1__a.sql", scripts.byVersion(1).orElseThrow().fileName());
        assertTrue(scripts.byVersion(3).isEmpty());
        assertEquals(0, UpgradeScripts.of(List.of()).newestVersion());
    }

    @Test
    void scriptThatCannotBeSplitIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UpgradeScripts.of(Map.of("V1__a.sql", "SELECT 'open;\n")));
        assertTrue(e.getMessage().startsWith("Upgrade script V1__a.sql cannot be split"), e.getMessage());
    }

    @Test
    void indexIgnoresBlankLinesAndComments() {
        assertEquals(List.of("V1__a.sql", "V2__b.sql"),
                UpgradeScripts.parseIndex("# head\n\nV1__a.sql\r\n  V2__b.sql  \n"));
    }

    @Test
    void classpathLoadingFollowsTheIndex(@TempDir Path dir) throws Exception {
        write(dir, "scripts.txt", "V1__a.sql\nV2__b.sql\n");
        write(dir, "V1__a.sql", "\uFEFFCREATE TABLE a (id INT);\n");
        write(dir, "V2__b.sql", "CREATE TABLE b (id INT);\n");
        write(dir, "V3__not_listed.sql", "SELECT 1;\n");   // only the index counts at run time

        UpgradeScripts scripts = UpgradeScripts.fromClasspath(loaderFor(dir));

        assertEquals(List.of("V1__a.sql", "V2__b.sql"), scripts.all().stream().map(UpgradeScript::fileName).toList());
        assertEquals("CREATE TABLE a (id INT);\n", scripts.all().get(0).text(), "a BOM is dropped");
    }

    @Test
    void indexNamingAMissingScriptFailsTheLoad(@TempDir Path dir) throws Exception {
        write(dir, "scripts.txt", "V1__a.sql\nV2__gone.sql\n");
        write(dir, "V1__a.sql", "SELECT 1;\n");

        DbUpgradeException e = assertThrows(DbUpgradeException.class,
                () -> UpgradeScripts.fromClasspath(loaderFor(dir)));
        assertTrue(e.getMessage().contains("lists V2__gone.sql, which is missing"), e.getMessage());
    }

    @Test
    void missingIndexFailsTheLoad(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("db/upgrade"));
        DbUpgradeException e = assertThrows(DbUpgradeException.class,
                () -> UpgradeScripts.fromClasspath(loaderFor(dir)));
        assertTrue(e.getMessage().contains("db/upgrade/scripts.txt is missing"), e.getMessage());
    }

    private static void write(Path root, String name, String text) throws IOException {
        Path file = root.resolve("db/upgrade").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Only dir, not the test class path (which holds the real index). */
    private static ClassLoader loaderFor(Path dir) throws Exception {
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
    }
}
