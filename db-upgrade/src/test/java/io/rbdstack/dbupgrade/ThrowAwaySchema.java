package io.rbdstack.dbupgrade;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rbdstack.testing.RealServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A schema {@code cloud_test_<random>} on the real MariaDB, created for one test and dropped after.
 * Fails (never skips) when the database service is not running.
 */
final class ThrowAwaySchema implements AutoCloseable {

    private final RealServices.Database db;
    private final String name;
    private final List<HikariDataSource> pools = new ArrayList<>();

    private ThrowAwaySchema(RealServices.Database db, String name) {
        this.db = db;
        this.name = name;
    }

    static ThrowAwaySchema create() throws SQLException {
        RealServices.Database db = RealServices.load().database();
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        ThrowAwaySchema schema = new ThrowAwaySchema(db, "cloud_test_" + HexFormat.of().formatHex(random));
        schema.run(db.name(), "CREATE DATABASE `" + schema.name + "`");
        return schema;
    }

    String name() {
        return name;
    }

    /** A new pool on this schema; several pools stand for several management servers. */
    HikariDataSource newDataSource() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl(name));
        config.setUsername(db.username());
        config.setPassword(db.password());
        config.setMaximumPoolSize(3);
        config.setMinimumIdle(0);
        config.setPoolName(name + "-" + pools.size());
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Runs statements on this schema outside any upgrader, e.g. to fake a half-applied step. */
    void execute(String... statements) throws SQLException {
        run(name, statements);
    }

    @Override
    public void close() throws SQLException {
        pools.forEach(HikariDataSource::close);
        run(db.name(), "DROP DATABASE IF EXISTS `" + name + "`");
    }

    private void run(String schema, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(schema), db.username(), db.password());
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
