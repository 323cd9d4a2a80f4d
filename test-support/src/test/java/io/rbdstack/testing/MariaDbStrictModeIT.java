package io.rbdstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test database behaves as MySQL 5.7 with its full default sql_mode, reached through Connector/J + HikariCP. */
class MariaDbStrictModeIT {

    private static final List<String> MYSQL57_DEFAULT_MODES = List.of("ONLY_FULL_GROUP_BY", "STRICT_TRANS_TABLES",
            "NO_ZERO_IN_DATE", "NO_ZERO_DATE", "ERROR_FOR_DIVISION_BY_ZERO", "NO_AUTO_CREATE_USER",
            "NO_ENGINE_SUBSTITUTION");

    private static HikariDataSource dataSource;

    @BeforeAll
    static void connect() throws SQLException {
        RealServices.Database db = RealServices.load().database();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaximumPoolSize(2);
        dataSource = new HikariDataSource(config);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS harness_strict_probe");
            s.execute("CREATE TABLE harness_strict_probe (id BIGINT PRIMARY KEY, dept VARCHAR(20) NOT NULL,"
                    + " name VARCHAR(20) NOT NULL, at DATETIME NULL)");
            s.execute("INSERT INTO harness_strict_probe (id, dept, name) VALUES (1, 'a', 'x'), (2, 'a', 'y')");
        }
    }

    @AfterAll
    static void close() throws SQLException {
        if (dataSource != null) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS harness_strict_probe");
            }
            dataSource.close();
        }
    }

    @Test
    void globalAndSessionSqlModeHoldAllSevenMysql57Defaults() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@GLOBAL.sql_mode, @@SESSION.sql_mode")) {
            rs.next();
            assertTrue(modes(rs.getString(1)).containsAll(MYSQL57_DEFAULT_MODES), "global sql_mode: " + rs.getString(1));
            assertTrue(modes(rs.getString(2)).containsAll(MYSQL57_DEFAULT_MODES), "session sql_mode: " + rs.getString(2));
        }
    }

    @Test
    void groupByWithNonAggregatedColumnIsRejected() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeQuery("SELECT dept, name FROM harness_strict_probe GROUP BY dept"));
            assertEquals(1055, e.getErrorCode(), e.getMessage());
        }
    }

    @Test
    void zeroDateIsRejected() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE harness_strict_probe SET at = '0000-00-00' WHERE id = 1"));
            assertEquals(1292, e.getErrorCode(), e.getMessage());
        }
    }

    private static Set<String> modes(String sqlMode) {
        return Stream.of(sqlMode.split(",")).map(String::trim).collect(Collectors.toSet());
    }
}
