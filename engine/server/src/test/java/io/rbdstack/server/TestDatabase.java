package io.rbdstack.server;

import com.zaxxer.hikari.HikariDataSource;
import io.rbdstack.testing.RealServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/** A throw-away schema on the harness MariaDB, and a db.properties pointing at it. */
public final class TestDatabase implements AutoCloseable {

    final RealServices.Database db = RealServices.load().database();
    private HikariDataSource pool;
    public final String schema = "cloud_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    public TestDatabase() throws SQLException {
        execute("CREATE DATABASE " + schema);
    }

    /** Writes db.properties (CloudStack keys) into {@code configDir}. */
    public Path writeDbProperties(Path configDir, String urlParams) throws IOException {
        Files.createDirectories(configDir);
        Path file = configDir.resolve("db.properties");
        Files.writeString(file, String.join("\n",
                "db.cloud.host=" + db.host(),
                "db.cloud.port=" + db.port(),
                "db.cloud.name=" + schema,
                "db.cloud.username=" + db.username(),
                "db.cloud.password=" + db.password(),
                "db.cloud.url.params=" + urlParams,
                "db.cloud.maxActive=10",
                "db.cloud.encrypt.secret=test-encrypt-secret-" + schema,
                ""));
        return file;
    }

    String jdbcUrl() {
        return db.jdbcUrl(schema);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), db.username(), db.password());
    }

    /** A small connection pool on the schema, for tests that drive the server's repositories directly; closed with this. */
    public synchronized DataSource dataSource() {
        if (pool == null) {
            pool = new HikariDataSource();
            pool.setJdbcUrl(jdbcUrl());
            pool.setUsername(db.username());
            pool.setPassword(db.password());
            pool.setMaximumPoolSize(16);
        }
        return pool;
    }

    void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        if (pool != null) {
            pool.close();
        }
        execute("DROP DATABASE IF EXISTS " + schema);
    }
}
