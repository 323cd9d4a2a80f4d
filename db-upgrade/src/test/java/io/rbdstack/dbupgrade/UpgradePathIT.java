package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** A database left at any earlier version ends up, after upgrade(), with exactly a fresh install's schema. */
class UpgradePathIT {

    private static UpgradeScripts scripts;
    private static SchemaSnapshot freshInstall;

    @BeforeAll
    static void installFresh() throws Exception {
        scripts = UpgradeScripts.fromClasspath();
        assertFalse(scripts.all().isEmpty(), "no upgrade scripts listed in " + UpgradeScripts.INDEX);
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            new DbUpgrader(dataSource).upgrade();
            freshInstall = SchemaSnapshot.of(dataSource, schema.name());
        }
    }

    @TestFactory
    Stream<DynamicTest> upgradeFromEveryEarlierVersionEqualsFreshInstall() {
        return scripts.all().stream()
                .map(UpgradeScript::version)
                .filter(v -> v < scripts.newestVersion())
                .map(v -> DynamicTest.dynamicTest("from version " + v, () -> upgradeFrom(v)));
    }

    private static void upgradeFrom(int version) throws Exception {
        List<Integer> upTo = versions().filter(v -> v <= version).toList();
        List<Integer> after = versions().filter(v -> v > version).toList();
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();

            UpgradeResult old = new DbUpgrader(dataSource).upgradeTo(version);
            assertEquals(upTo, old.applied());
            assertEquals(version, old.toVersion());

            UpgradeResult upgraded = new DbUpgrader(dataSource).upgrade();
            assertEquals(version, upgraded.fromVersion());
            assertEquals(after, upgraded.applied());
            assertEquals(scripts.newestVersion(), upgraded.toVersion());

            assertEquals(List.of(), freshInstall.differences(SchemaSnapshot.of(dataSource, schema.name())),
                    "schema upgraded from version " + version + " (+) differs from a fresh install (-)");
        }
    }

    private static Stream<Integer> versions() {
        return scripts.all().stream().map(UpgradeScript::version);
    }
}
