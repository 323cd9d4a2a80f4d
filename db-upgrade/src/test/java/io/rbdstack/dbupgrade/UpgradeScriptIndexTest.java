package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The index db/upgrade/scripts.txt matches the V*.sql files of src/main/resources/db/upgrade. */
class UpgradeScriptIndexTest {

    private static final Path DIR = Path.of("src/main/resources").resolve(UpgradeScripts.DIRECTORY);

    @Test
    void everyScriptFileIsIndexedAndEveryIndexedFileExists() throws IOException {
        List<String> indexed = index();
        List<String> files = scriptFiles();
        List<String> problems = new ArrayList<>();
        files.stream().filter(f -> !indexed.contains(f))
                .forEach(f -> problems.add(f + " is not listed in " + UpgradeScripts.INDEX));
        indexed.stream().filter(f -> !files.contains(f))
                .forEach(f -> problems.add(UpgradeScripts.INDEX + " lists " + f + ", which is not in " + DIR));
        assertEquals(List.of(), problems);
    }

    @Test
    void indexedNamesFollowTheConventionWithStrictlyIncreasingVersions() throws IOException {
        int previous = 0;
        for (String name : index()) {
            assertTrue(UpgradeScript.isScriptName(name), name + " in " + UpgradeScripts.INDEX
                    + " does not follow V<version>__<what>.sql");
            int version = UpgradeScript.of(name, "").version();
            if (version <= previous) {
                fail(name + " in " + UpgradeScripts.INDEX + " has version " + version
                        + ", not above the previous entry's " + previous);
            }
            previous = version;
        }
    }

    @Test
    void classpathLoadingReturnsTheIndexedScripts() throws Exception {
        UpgradeScripts scripts = UpgradeScripts.fromClasspath();

        assertEquals(index(), scripts.all().stream().map(UpgradeScript::fileName).toList());
        for (UpgradeScript script : scripts.all()) {
            assertEquals(Files.readString(DIR.resolve(script.fileName()), StandardCharsets.UTF_8), script.text());
            assertTrue(!script.statements().isEmpty(), script.fileName() + " has no statements");
        }
    }

    private static List<String> index() throws IOException {
        return UpgradeScripts.parseIndex(Files.readString(DIR.resolve("scripts.txt"), StandardCharsets.UTF_8));
    }

    /** Every file that looks like a script, including misnamed ones such as V3_x.sql. */
    private static List<String> scriptFiles() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("V") && n.endsWith(".sql"))
                    .sorted()
                    .toList();
        }
    }
}
