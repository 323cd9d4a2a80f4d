package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.config.ServerConfig;
import io.rbdstack.server.db.DatabaseStartupException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up against the real MariaDB in MySQL 5.7's strict mode: fresh, existing, concurrent, broken. */
class ServerStartupIT {

    private static final String CLOUDSTACK_SHIPPED_PARAMS = "prepStmtCacheSize=517&cachePrepStmts=true"
            + "&sessionVariables=sql_mode='STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
            + "NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION'&serverTimezone=UTC";

    @TempDir
    Path dir;

    @Test
    void freshInstallThenRestartOnTheExistingSchema() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Path config = TestServer.prepareConfig(dir.resolve("conf"));
            db.writeDbProperties(config, "serverTimezone=UTC");
            try (TestServer first = new TestServer(config)) {
                assertEquals(200, first.admin.call("listZones").status());
            }
            int versions = count(db, "SELECT COUNT(*) FROM version WHERE step = 'Complete'");
            assertTrue(versions >= 4, "every upgrade script applied: " + versions);
            try (TestServer second = new TestServer(config)) {
                assertEquals(200, second.admin.call("listZones").status());
            }
            assertEquals(versions, count(db, "SELECT COUNT(*) FROM version"), "nothing applied twice");
            assertEquals(1, count(db, "SELECT COUNT(*) FROM user WHERE username = 'admin'"));
        }
    }

    @Test
    void cloudStacksShippedUrlParamsAreHonoured() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Path config = TestServer.prepareConfig(dir.resolve("conf"));
            db.writeDbProperties(config, CLOUDSTACK_SHIPPED_PARAMS);
            try (TestServer server = new TestServer(config)) {
                // The server's own pool reads back the session sql_mode from the URL.
                JsonNode zone = server.admin.call("createZone", "name", "z", "dns1", "8.8.8.8", "internaldns1",
                        "10.0.0.2", "networktype", "Advanced").response("createZone");
                assertEquals("z", zone.get("zone").get("name").asText());
            }
        }
    }

    @Test
    void generatedAdminPasswordIsPrintedOnceOnTheConsole() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Path config = dir.resolve("conf-generated");
            Files.createDirectories(config);
            Files.writeString(config.resolve("server.properties"), "http.address=127.0.0.1\nhttp.port=0\n"
                    + "agent.address=127.0.0.1\nagent.port=0\n");
            db.writeDbProperties(config, "serverTimezone=UTC");
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            try (ManagementServer server = ManagementServer.start(ServerConfig.load(config), new PrintStream(console, true))) {
                String printed = console.toString();
                assertTrue(printed.contains("username admin, password "), printed);
                String password = printed.replaceAll("(?s).*username admin, password (\\S+) .*", "$1");
                ApiClient admin = ApiClient.login("http://127.0.0.1:" + server.httpPort() + "/client/api", "admin", password);
                assertEquals(200, admin.call("listZones").status());
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            try (ManagementServer server = ManagementServer.start(ServerConfig.load(config), new PrintStream(again, true))) {
                assertFalse(again.toString().contains("password"), "printed only at the first start");
            }
        }
    }

    @Test
    void wrongDatabasePasswordStopsStartUpWithTheReason() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Path config = TestServer.prepareConfig(dir.resolve("conf"));
            Path props = db.writeDbProperties(config, "serverTimezone=UTC");
            Files.writeString(props, Files.readString(props).replaceAll("db.cloud.password=.*", "db.cloud.password=wrong"));
            DatabaseStartupException e = assertThrows(DatabaseStartupException.class,
                    () -> ManagementServer.start(ServerConfig.load(config), System.out));
            assertTrue(e.getMessage().startsWith("Cannot connect to the database " + db.schema), e.getMessage());
            assertTrue(e.getMessage().contains("Access denied"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong"), "the password is not echoed");
        }
    }

    @Test
    void twoServersStartingAtOnceUpgradeOnceAndBothComeUp() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            List<Path> configs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Path config = TestServer.prepareConfig(dir.resolve("conf" + i));
                db.writeDbProperties(config, "serverTimezone=UTC");
                configs.add(config);
            }
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<TestServer>> starts = new ArrayList<>();
                for (Path config : configs) {
                    starts.add(pool.submit(() -> {
                        together.await();
                        return new TestServer(config);
                    }));
                }
                List<TestServer> servers = new ArrayList<>();
                for (Future<TestServer> start : starts) {
                    servers.add(start.get());
                }
                for (TestServer server : servers) {
                    assertEquals(200, server.admin.call("listZones").status());
                }
                assertEquals(count(db, "SELECT COUNT(DISTINCT version) FROM version"), count(db, "SELECT COUNT(*) FROM version"));
                assertEquals(1, count(db, "SELECT COUNT(*) FROM user WHERE username = 'admin'"), "one admin");
                assertEquals(2, count(db, "SELECT COUNT(*) FROM mshost WHERE state = 'Up'"));
                servers.forEach(TestServer::close);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void jobsOfADeadServerAreFailedWithAReasonAtStartUp() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Path config = TestServer.prepareConfig(dir.resolve("conf"));
            db.writeDbProperties(config, "serverTimezone=UTC");
            try (TestServer first = new TestServer(config)) {
                assertEquals(200, first.admin.call("listZones").status());
            }
            // A server that died without a clean stop: Up, but silent for long, with a job in flight.
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO mshost (msid, uuid, name, version, service_ip, service_port, state, last_update,"
                        + " created) VALUES (4242, UUID(), 'dead', '0', '127.0.0.1', 8080, 'Up',"
                        + " UTC_TIMESTAMP() - INTERVAL 1 HOUR, UTC_TIMESTAMP() - INTERVAL 2 HOUR)");
                s.execute("INSERT INTO async_job (uuid, user_id, account_id, cmd, job_status, executing_msid, created,"
                        + " last_updated) SELECT '11111111-2222-3333-4444-555555555555', id, account_id, 'reconnectHost', 0,"
                        + " 4242, UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM user WHERE username = 'admin'");
            }
            try (TestServer second = new TestServer(config)) {
                JsonNode job = second.admin.call("queryAsyncJobResult", "jobid", "11111111-2222-3333-4444-555555555555")
                        .response("queryAsyncJobResult");
                assertEquals(2, job.get("jobstatus").asInt());
                assertEquals(530, job.get("jobresult").get("errorcode").asInt());
                assertTrue(job.get("jobresult").get("errortext").asText().contains("stopped before it finished"));
                assertEquals(1, count(db, "SELECT COUNT(*) FROM mshost WHERE msid = 4242 AND state = 'Down'"));
            }
        }
    }

    private static int count(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
