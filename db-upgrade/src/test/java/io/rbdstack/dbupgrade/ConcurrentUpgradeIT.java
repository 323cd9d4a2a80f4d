package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Two management servers starting at once on the same empty schema: one upgrades, the other waits. */
class ConcurrentUpgradeIT {

    @Test
    void exactlyOneOfTwoConcurrentUpgradersAppliesTheScripts() throws Exception {
        UpgradeScripts scripts = UpgradeScripts.fromClasspath();
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            List<UpgradeResult> results = race(new DbUpgrader(schema.newDataSource()),
                    new DbUpgrader(schema.newDataSource()));

            UpgradeResult winner = results.get(0);
            UpgradeResult loser = results.get(1);
            assertEquals(scripts.all().stream().map(UpgradeScript::version).toList(), winner.applied());
            assertEquals(List.of(), loser.applied());
            assertEquals(scripts.newestVersion(), winner.toVersion());
            assertEquals(scripts.newestVersion(), loser.fromVersion());
            assertEquals(scripts.newestVersion(), loser.toVersion());
            assertNoDuplicateVersionRows(schema.newDataSource(), scripts.all().size());
        }
    }

    @Test
    void theSecondUpgraderWaitsForTheFirstToFinish() throws Exception {
        UpgradeScripts slow = UpgradeScripts.of(Map.of("V1__slow.sql", "CREATE TABLE slow (id INT);\nDO SLEEP(2);\n"));
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            List<UpgradeResult> results = race(new DbUpgrader(schema.newDataSource(), slow),
                    new DbUpgrader(schema.newDataSource(), slow));

            assertEquals(List.of(1), results.get(0).applied());
            assertEquals(List.of(), results.get(1).applied());
            assertTrue(results.get(1).waitedForLock().toMillis() >= 1000,
                    "the loser waited only " + results.get(1).waitedForLock());
            assertNoDuplicateVersionRows(schema.newDataSource(), 1);
        }
    }

    /** Both results, the one that applied scripts first. */
    private static List<UpgradeResult> race(DbUpgrader first, DbUpgrader second) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<UpgradeResult>> futures = new ArrayList<>();
            for (DbUpgrader upgrader : List.of(first, second)) {
                futures.add(threads.submit(() -> {
                    barrier.await(30, TimeUnit.SECONDS);
                    return upgrader.upgrade();
                }));
            }
            List<UpgradeResult> results = new ArrayList<>();
            for (Future<UpgradeResult> future : futures) {
                results.add(future.get(120, TimeUnit.SECONDS));
            }
            results.sort(Comparator.comparing((UpgradeResult r) -> r.applied().isEmpty()));
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void assertNoDuplicateVersionRows(DataSource dataSource, int expectedRows) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT `version`) FROM `version`")) {
                rs.next();
                assertEquals(expectedRows, rs.getInt(1), "rows in version");
                assertEquals(expectedRows, rs.getInt(2), "distinct versions in version");
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM `version` WHERE `step` <> 'Complete'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "rows not Complete");
            }
        }
    }
}
