package io.rbdstack.server.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.server.FreshServer;
import io.rbdstack.server.StagedVolumes;
import io.rbdstack.server.db.Jdbc;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * settledBackupAttempts on the real MariaDB: each snapshot against the cutoff of its volume's pool, a snapshot of
 * no pool given (its volume has none, or its pool is gone) against the other cutoff, oldest first.
 */
class SettledBackupAttemptsIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final Duration TWELVE_HOURS = Duration.ofHours(12);
    static final Duration WEEK_AND_HOUR = Duration.ofDays(7).plusHours(1);
    static Jdbc jdbc;
    static long defaultPool;
    static long weekPool;
    static long secondDefaultPool;
    static long gonePool;

    @BeforeAll
    static void stage() throws Exception {
        // This test's own runs only: the server's cleanup would clear the staged snapshots meanwhile.
        assertEquals(200, cloud.admin().call("updateConfiguration", "name", "storage.cleanup.enabled", "value",
                "false").status());
        jdbc = new Jdbc(cloud.db().dataSource());
        StagedVolumes staged = new StagedVolumes(cloud.db());
        staged.volume(1, "default-pool", "Ready");
        defaultPool = jdbc.queryLong("SELECT id FROM storage_pool WHERE name = 'staged'");
        weekPool = pool("week");
        secondDefaultPool = pool("second-default");
        gonePool = pool("gone");
        jdbc.update("UPDATE storage_pool SET removed = UTC_TIMESTAMP() WHERE id = ?", gonePool);
        volume("week-pool", weekPool);
        volume("second-pool", secondDefaultPool);
        volume("gone-pool", gonePool);
        volume("no-pool", null);
    }

    private static long pool(String name) {
        return jdbc.insert("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id,"
                + " storage_provider_name, host_address, path, status, created) SELECT UUID(), ?, 'RBD', 'ZONE',"
                + " data_center_id, 'RBD', 'mon', 'rbd', 'Up', UTC_TIMESTAMP() FROM storage_pool WHERE id = ?", name,
                defaultPool);
    }

    private static void volume(String name, Long pool) {
        jdbc.update("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type,"
                + " size, path, state, created) SELECT UUID(), ?, account_id, domain_id, data_center_id, ?, 'DATADISK',"
                + " size, UUID(), 'Ready', UTC_TIMESTAMP() FROM volumes WHERE name = 'default-pool'", name, pool);
    }

    /** A snapshot of the named volume in {@code status}, last attempted {@code ago} before NOW; its name. */
    private static String snapshot(String name, String volume, String status, Duration ago) {
        jdbc.update("INSERT INTO snapshots (uuid, name, volume_id, account_id, domain_id, data_center_id,"
                + " snapshot_type, size, status, hypervisor_type, created) SELECT UUID(), ?, id, account_id, domain_id,"
                + " data_center_id, 'MANUAL', size, ?, 'KVM', UTC_TIMESTAMP() FROM volumes WHERE name = ?", name, status,
                volume);
        jdbc.update("UPDATE snapshots SET backup_attempted = ? WHERE name = ?", NOW.minus(ago), name);
        return name;
    }

    @Test
    void eachSnapshotSettlesByItsVolumesPoolAndOneOfNoPoolGivenByTheLongest() {
        Duration justPast12h = TWELVE_HOURS.plusMinutes(1);
        Duration justPastWeek = WEEK_AND_HOUR.plusMinutes(1);
        String defaultSettled = snapshot("default-13h", "default-pool", "BackedUp", justPast12h);
        snapshot("default-unsettled-state", "default-pool", "CreatedOnPrimary", Duration.ofDays(30));
        snapshot("week-13h", "week-pool", "BackedUp", justPast12h);
        String weekSettled = snapshot("week-8d", "week-pool", "Destroyed", justPastWeek.plusSeconds(2));
        snapshot("gone-13h", "gone-pool", "BackedUp", justPast12h);
        String goneSettled = snapshot("gone-8d", "gone-pool", "BackedUp", justPastWeek.plusSeconds(1));
        snapshot("none-13h", "no-pool", "Error", justPast12h);
        String noneSettled = snapshot("none-8d", "no-pool", "Error", justPastWeek);
        // Two pools sharing one cutoff: one IN list of both.
        String secondSettled = snapshot("second-13h", "second-pool", "BackedUp", justPast12h.plusSeconds(5));
        snapshot("second-11h", "second-pool", "BackedUp", Duration.ofHours(11));

        List<SnapshotRepository.AttemptedBackup> settled = new SnapshotRepository(jdbc).settledBackupAttempts(
                Map.of(defaultPool, NOW.minus(TWELVE_HOURS), secondDefaultPool, NOW.minus(TWELVE_HOURS), weekPool,
                        NOW.minus(WEEK_AND_HOUR)),
                NOW.minus(WEEK_AND_HOUR), 100);

        assertEquals(List.of(weekSettled, goneSettled, noneSettled, secondSettled, defaultSettled), settled.stream()
                .map(s -> jdbc.query("SELECT name FROM snapshots WHERE id = ?", rs -> rs.getString(1), s.snapshotId())
                        .get(0)).toList(), "oldest first");
        assertEquals(java.util.Arrays.asList(weekPool, gonePool, null, secondDefaultPool, defaultPool),
                settled.stream().map(SnapshotRepository.AttemptedBackup::poolId).toList());
        assertEquals(NOW.minus(justPastWeek).minusSeconds(2), settled.get(0).attempted());
    }
}
