package io.rbdstack.server.bench;

import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The list benchmark behind scripts/bench-lists.sh: a management server on a throw-away schema of the
 * harness MariaDB, {@code rows} volumes, snapshots, async jobs and events put straight into it (half of them
 * another account's), then each list call timed end to end over HTTP as the root admin with
 * {@code listall=true}: median and 90th percentile of {@code runs} calls after a warm-up.
 *
 * <p>usage: ListBenchmark [rows, default 100000] [runs, default 50]
 */
public final class ListBenchmark {

    private static final int WARM_UP = 20;

    private ListBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path dir = Files.createTempDirectory("rbdstack-bench-lists-");
        try (TestDatabase db = new TestDatabase()) {
            Path config = TestServer.prepareConfig(dir.resolve("conf"));
            db.writeDbProperties(config, "serverTimezone=UTC");
            try (TestServer server = new TestServer(config)) {
                long t0 = System.nanoTime();
                Fixture fixture = fill(db, rows);
                System.out.printf("filled %,d volumes, snapshots, jobs and events each in %.1f s%n", rows,
                        (System.nanoTime() - t0) / 1e9);
                ApiClient admin = server.admin;
                List<String[]> calls = calls(fixture, rows);
                long[] counts = new long[calls.size()];
                for (int c = 0; c < calls.size(); c++) {
                    for (int i = 0; i < WARM_UP; i++) {
                        counts[c] = call(admin, calls.get(c)).count();
                    }
                }
                // Round after round over every call, so that a passing load on the machine spreads over all.
                long[][] nanos = new long[calls.size()][runs];
                for (int run = 0; run < runs; run++) {
                    for (int c = 0; c < calls.size(); c++) {
                        nanos[c][run] = call(admin, calls.get(c)).nanos();
                    }
                }
                System.out.printf("%-72s %8s %8s %9s%n", "call (" + runs + " runs)", "median", "p90", "count");
                for (int c = 0; c < calls.size(); c++) {
                    long[] sorted = nanos[c].clone();
                    Arrays.sort(sorted);
                    System.out.printf("%-72s %6.1f ms %6.1f ms %9d%n", String.join(" ", calls.get(c)),
                            sorted[runs / 2] / 1e6, sorted[(int) (runs * 0.9)] / 1e6, counts[c]);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A volume uuid and a snapshot name that exist, to filter by. */
    private record Fixture(String volume, String snapshotName) {
    }

    private static List<String[]> calls(Fixture f, int rows) {
        String deepPage = String.valueOf(rows / 100 / 2);
        return List.of(
                // An empty list: what every call pays for HTTP, the session, the binder and the JSON envelope.
                new String[] {"listZones", "page", "1", "pagesize", "100"},
                new String[] {"listSnapshots", "listall", "true", "page", "1", "pagesize", "100"},
                new String[] {"listSnapshots", "listall", "true", "page", deepPage, "pagesize", "100"},
                new String[] {"listSnapshots", "listall", "true", "volumeid", f.volume(), "pagesize", "100"},
                new String[] {"listSnapshots", "listall", "true", "name", f.snapshotName()},
                new String[] {"listSnapshots", "listall", "true", "keyword", "snap-4242", "pagesize", "100"},
                new String[] {"listSnapshots", "page", "1", "pagesize", "100"},
                new String[] {"listSnapshots", "listall", "true"},
                new String[] {"listVolumes", "listall", "true", "page", "1", "pagesize", "100"},
                new String[] {"listVolumes", "listall", "true", "page", deepPage, "pagesize", "100"},
                new String[] {"listVolumes", "listall", "true", "name", "vol-4242"},
                new String[] {"listVolumes", "page", "1", "pagesize", "100"},
                new String[] {"listAsyncJobs", "listall", "true", "page", "1", "pagesize", "100"},
                new String[] {"listAsyncJobs", "listall", "true", "page", deepPage, "pagesize", "100"},
                new String[] {"listAsyncJobs", "page", "1", "pagesize", "100"},
                new String[] {"listEvents", "listall", "true", "page", "1", "pagesize", "100"},
                new String[] {"listEvents", "listall", "true", "page", deepPage, "pagesize", "100"},
                new String[] {"listEvents", "page", "1", "pagesize", "100"},
                new String[] {"listEvents", "listall", "true", "type", EVENT_TYPES[3], "pagesize", "100"});
    }

    /** The types the benchmark's events take in turn: a type= filter matches a tenth of them. */
    private static final String[] EVENT_TYPES = {"VOLUME.CREATE", "VOLUME.DELETE", "VOLUME.RESIZE", "SNAPSHOT.CREATE",
        "SNAPSHOT.DELETE", "SNAPSHOT.REVERT", "ZONE.CREATE", "USER.LOGIN", "USER.LOGOUT", "CONFIGURATION.VALUE.EDIT"};

    private record Timed(long nanos, long count) {
    }

    /** One call, which must succeed: how long it took and the count it answered. */
    private static Timed call(ApiClient admin, String[] call) throws Exception {
        String command = call[0];
        long t0 = System.nanoTime();
        ApiClient.Reply reply = admin.call(command, Arrays.copyOfRange(call, 1, call.length));
        long nanos = System.nanoTime() - t0;
        if (reply.status() != 200) {
            throw new IllegalStateException(command + " failed: " + reply.body());
        }
        return new Timed(nanos, reply.response(command).path("count").asLong(0));
    }

    /** Fills the schema with SQL (far faster than the API): {@code rows} of each, half another account's. */
    private static Fixture fill(TestDatabase db, int rows) throws Exception {
        if (rows % 1000 != 0 || rows < 1000) {
            throw new IllegalArgumentException("rows must be a multiple of 1000");
        }
        String n = "(a.n * 100000 + b.n * 10000 + c.n * 1000 + d.n * 100 + e.n * 10 + f.n)";
        String digits = " FROM digits a, digits b, digits c, digits d, digits e, digits f WHERE " + n + " < " + rows;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "CREATE TEMPORARY TABLE digits (n INT PRIMARY KEY)",
                    "INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)",
                    "INSERT INTO account (uuid, account_name, type, domain_id, state, created)"
                            + " VALUES (UUID(), 'bench', 0, 1, 'enabled', UTC_TIMESTAMP())",
                    "INSERT INTO data_center (uuid, name, network_type, created)"
                            + " VALUES (UUID(), 'bench', 'Advanced', UTC_TIMESTAMP())",
                    "INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                            + " host_address, path, status, created) SELECT UUID(), 'bench', 'RBD', 'ZONE', id, 'RBD',"
                            + " 'mon', 'rbd', 'Up', UTC_TIMESTAMP() FROM data_center",
                    "INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type, size,"
                            + " path, state, created) SELECT UUID(), CONCAT('vol-', " + n + "), IF(" + n + " % 2 = 0, 1,"
                            + " (SELECT id FROM account WHERE account_name = 'bench')), 1, p.data_center_id, p.id,"
                            + " 'DATADISK', 1073741824, 'image', 'Ready', UTC_TIMESTAMP() - INTERVAL " + n
                            + " SECOND FROM storage_pool p," + digits.substring(" FROM".length()) + " ORDER BY " + n,
                    "SET @first_volume = (SELECT MIN(id) FROM volumes)",
                    // 100 snapshots on each of the first 1,000 volumes.
                    "INSERT INTO snapshots (uuid, name, volume_id, account_id, domain_id, data_center_id, snapshot_type,"
                            + " size, status, hypervisor_type, created) SELECT UUID(), CONCAT('snap-', " + n + "),"
                            + " v.id, v.account_id, 1, v.data_center_id, 'MANUAL', 1073741824, 'CreatedOnPrimary',"
                            + " 'KVM', UTC_TIMESTAMP() - INTERVAL " + n + " SECOND" + digits.replace(" WHERE ",
                            ", volumes v WHERE v.id = @first_volume + " + n + " % 1000 AND "),
                    "INSERT INTO snapshot_store_ref (snapshot_id, store_id, store_role, volume_id, install_path, size,"
                            + " physical_size, state, created) SELECT s.id, p.id, 'Primary', s.volume_id, 'image@x', s.size,"
                            + " 0, 'Ready', s.created FROM snapshots s, storage_pool p",
                    "INSERT INTO async_job (uuid, user_id, account_id, cmd, instance_type, instance_id, job_status,"
                            + " job_result_type, job_result, executing_msid, created, last_updated, completed)"
                            + " SELECT UUID(), 1, IF(" + n + " % 2 = 0, 1, (SELECT id FROM account WHERE account_name ="
                            + " 'bench')), 'createVolume', 'Volume', UUID(), 1, 'object', '{\"volume\":{}}', 0,"
                            + " UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP()" + digits,
                    "INSERT INTO user (uuid, username, password, account_id, created) SELECT UUID(), 'bench', 'x', id,"
                            + " UTC_TIMESTAMP() FROM account WHERE account_name = 'bench'",
                    // Events of both accounts, one a second up to now, each type in turn, one in 50 an ERROR.
                    "INSERT INTO event (uuid, type, state, level, description, user_id, account_id, domain_id,"
                            + " resource_id, resource_type, start_id, created) SELECT UUID(), ELT(" + n + " % 10 + 1, '"
                            + String.join("', '", EVENT_TYPES) + "'), 'Completed', IF(" + n + " % 50 = 0, 'ERROR',"
                            + " 'INFO'), CONCAT('Successfully completed bench event ', " + n + "), u.id, u.account_id, 1,"
                            + " UUID(), 'Volume', NULL, UTC_TIMESTAMP() - INTERVAL (" + rows + " - " + n + ") SECOND"
                            + digits.replace(" WHERE ", ", user u WHERE u.username = IF(" + n
                            + " % 2 = 0, 'admin', 'bench') AND ") + " ORDER BY " + n,
                    "ANALYZE TABLE volumes, snapshots, snapshot_store_ref, async_job, event")) {
                s.execute(sql);
            }
            String volume;
            try (var rs = s.executeQuery("SELECT uuid FROM volumes WHERE id = @first_volume + 42")) {
                rs.next();
                volume = rs.getString(1);
            }
            return new Fixture(volume, "snap-4242");
        }
    }
}
