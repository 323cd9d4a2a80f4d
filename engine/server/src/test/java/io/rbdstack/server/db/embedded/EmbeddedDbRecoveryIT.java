package io.rbdstack.server.db.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.db.DatabaseStartupException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM running the embedded MariaDB is killed with -9 (no shutdown hook runs), as a crashed or
 * killed management server would be; the next start must find the data intact with no manual step.
 * Real MariaDB server processes from the bundled binaries.
 */
class EmbeddedDbRecoveryIT {

    private Process jvm;

    @AfterEach
    void killWhatIsLeft() {
        if (jvm != null) {
            jvm.descendants().forEach(ProcessHandle::destroyForcibly);
            jvm.destroyForcibly();
        }
    }

    @Test
    void theWatchdogStopsTheDbOfAKilledJvmAndTheNextStartFindsTheDataIntact(@TempDir Path dataDir) throws Exception {
        int port = startInAnotherJvm(dataDir);
        writeRow(dataDir, port);
        List<String> servers = EmbeddedMariaDbIT.serverProcessesOf(dataDir);
        assertEquals(1, servers.size(), servers.toString());

        jvm.destroyForcibly().waitFor(); // SIGKILL
        long t0 = System.nanoTime();
        while (!EmbeddedMariaDbIT.serverProcessesOf(dataDir).isEmpty() && System.nanoTime() - t0 < 20_000_000_000L) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), EmbeddedMariaDbIT.serverProcessesOf(dataDir), "the watchdog stopped the orphaned server");

        assertRowIsThere(dataDir);
    }

    @Test
    void anOrphanedDbProvedOursIsShutDownCleanlyByTheNextStart(@TempDir Path dataDir) throws Exception {
        int port = startInAnotherJvm(dataDir);
        writeRow(dataDir, port);
        killWatchdogThenJvm();
        Thread.sleep(1500);
        List<String> orphans = EmbeddedMariaDbIT.serverProcessesOf(dataDir);
        assertEquals(1, orphans.size(), "nothing stopped the orphan yet: " + orphans);

        assertRowIsThere(dataDir); // the start shuts the orphan down, then runs its own server
        long orphanPid = Long.parseLong(orphans.get(0).split(" ")[0]);
        assertTrue(ProcessHandle.of(orphanPid).isEmpty(), "the orphan (pid " + orphanPid + ") has ended");
    }

    @Test
    void aServerOnTheDataDirNotProvedOursIsLeftRunningAndTheStartSaysWhich(@TempDir Path dataDir) throws Exception {
        startInAnotherJvm(dataDir);
        killWatchdogThenJvm();
        List<String> orphans = EmbeddedMariaDbIT.serverProcessesOf(dataDir);
        assertEquals(1, orphans.size(), orphans.toString());
        String pid = orphans.get(0).split(" ")[0];
        try (Stream<Path> files = Files.list(dataDir.resolve("data"))) {
            for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                Files.delete(pidFile); // no proof left that the server is ours
            }
        }
        try {
            DatabaseStartupException e = assertThrows(DatabaseStartupException.class, () -> EmbeddedMariaDb.start(dataDir, 0));
            assertTrue(e.getMessage().contains("(pid " + pid + ")") && e.getMessage().contains("not proved"), e.getMessage());
            assertEquals(orphans, EmbeddedMariaDbIT.serverProcessesOf(dataDir), "the unproven server is left running");
        } finally {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(p -> {
                p.destroy();
                p.onExit().join();
            });
        }
    }

    @Test
    void aDbKilledUnderARunningServerIsRestartedWithItsData(@TempDir Path dataDir) throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0)) {
            writeRow(dataDir, db.port());
            List<String> servers = EmbeddedMariaDbIT.serverProcessesOf(dataDir);
            assertEquals(1, servers.size(), servers.toString());
            ProcessHandle killed = ProcessHandle.of(Long.parseLong(servers.get(0).split(" ")[0])).orElseThrow();
            killed.destroyForcibly(); // SIGKILL, as the OOM killer would
            killed.onExit().join();

            long t0 = System.nanoTime();
            String what = null;
            while (what == null && System.nanoTime() - t0 < 30_000_000_000L) {
                try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
                     Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT what FROM kept WHERE id = 1")) {
                    what = rs.next() ? rs.getString(1) : "no row";
                } catch (java.sql.SQLException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals("before the kill", what, "the DB answers again within 30 s, with the committed row");
            List<String> now = EmbeddedMariaDbIT.serverProcessesOf(dataDir);
            assertEquals(1, now.size(), now.toString());
        }
        assertEquals(List.of(), EmbeddedMariaDbIT.serverProcessesOf(dataDir), "close() stops the restarted server");
    }

    /** Starts {@link EmbeddedMariaDbInAnotherJvm} and returns its server's port once it is ready. */
    private int startInAnotherJvm(Path dataDir) throws Exception {
        jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedMariaDbInAnotherJvm.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // the child's log
        }
        assertTrue(line != null, "the other JVM ended before its server was ready");
        // Keep draining, or the child blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(line.substring("READY ".length()).strip());
    }

    private void killWatchdogThenJvm() throws InterruptedException {
        List<ProcessHandle> watchdogs = jvm.descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(DbWatchdog.NAME)).toList();
        assertEquals(1, watchdogs.size(), "the JVM runs one DB watchdog");
        watchdogs.forEach(ProcessHandle::destroyForcibly);
        watchdogs.forEach(p -> p.onExit().join());
        jvm.destroyForcibly().waitFor();
    }

    private static void writeRow(Path dataDir, int port) throws Exception {
        String password = DbPasswordFile.read(dataDir.resolve("db.password")).orElseThrow();
        try (Connection c = DriverManager.getConnection(EmbeddedDbAccount.jdbcUrl(port), EmbeddedDbAccount.USER, password);
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE kept (id INT PRIMARY KEY, what VARCHAR(20)) ENGINE=InnoDB");
            st.execute("INSERT INTO kept VALUES (1, 'before the kill')"); // autocommit: durable once answered
        }
    }

    private static void assertRowIsThere(Path dataDir) throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0);
             Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT what FROM kept WHERE id = 1")) {
            assertTrue(rs.next(), "the row written before the kill is there");
            assertEquals("before the kill", rs.getString(1));
        }
    }
}
