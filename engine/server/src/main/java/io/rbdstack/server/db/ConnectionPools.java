package io.rbdstack.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.rbdstack.server.config.DbProperties;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the HikariCP pool for a {@link DbProperties}, checks the server it reaches, and logs its
 * version and sql_mode. A session sql_mode naming NO_AUTO_CREATE_USER (CloudStack's shipped
 * default) is retried without it when the server rejects it, as MySQL 8 does.
 */
public final class ConnectionPools {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPools.class);
    private static final int ER_WRONG_VALUE_FOR_VAR = 1231;
    private static final String NO_AUTO_CREATE_USER = "NO_AUTO_CREATE_USER";

    private ConnectionPools() {
    }

    public static HikariDataSource open(DbProperties db) throws DatabaseStartupException {
        HikariDataSource pool;
        try {
            pool = create(db);
        } catch (HikariPool.PoolInitializationException e) {
            Optional<String> without = SqlModeParams.withoutMode(db.urlParams(), NO_AUTO_CREATE_USER);
            if (rejectedSqlMode(e) && without.isPresent()) {
                LOG.warn("The database server rejects sql_mode {} (MySQL 8 removed it); dropping it from {} in {}",
                        NO_AUTO_CREATE_USER, DbProperties.URL_PARAMS, db.source());
                pool = createOrExplain(db.withUrlParams(without.get()));
            } else {
                throw explain(db, e);
            }
        }
        try {
            check(pool);
        } catch (DatabaseStartupException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /** Version and sql_mode check on one connection; logs what it found. */
    public static DatabaseServer check(javax.sql.DataSource dataSource) throws DatabaseStartupException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION(), @@GLOBAL.sql_mode, @@SESSION.sql_mode")) {
            rs.next();
            DatabaseServer server = DatabaseServer.parse(rs.getString(1), rs.getString(2), rs.getString(3));
            LOG.info("Database server {} {}; global sql_mode={}; session sql_mode={}", server.product(),
                    server.versionString(), server.globalSqlMode(), server.sessionSqlMode());
            if (!server.supported()) {
                throw new DatabaseStartupException(server.unsupportedReason());
            }
            return server;
        } catch (SQLException e) {
            throw new DatabaseStartupException("Cannot query the database server: " + e.getMessage(), e);
        }
    }

    private static HikariDataSource createOrExplain(DbProperties db) throws DatabaseStartupException {
        try {
            return create(db);
        } catch (HikariPool.PoolInitializationException e) {
            throw explain(db, e);
        }
    }

    private static HikariDataSource create(DbProperties db) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("cloud");
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.username());
        config.setPassword(db.password().reveal());
        config.setMaximumPoolSize(db.maxActive());
        config.setMinimumIdle(Math.min(2, db.maxActive()));
        config.setConnectionTimeout(db.maxWaitMillis());
        driverDefaults(db.urlParams()).forEach(config::addDataSourceProperty);
        return new HikariDataSource(config);
    }

    /**
     * The Connector/J properties the server sets unless {@code db.cloud.url.params} names them: every DATETIME is
     * UTC (without it Connector/J would shift them to the JVM's zone), and each connection caches its statements'
     * parsed SQL (without it Connector/J parses a statement's SQL each time it is prepared: 40 % of the server's Java
     * time in an API call, profiled on queryAsyncJobResult; CloudStack's own db.properties turns the cache on too).
     */
    static Map<String, String> driverDefaults(String urlParams) {
        Set<String> named = Arrays.stream(urlParams.split("&")).map(param -> param.split("=", 2)[0].trim())
                .collect(Collectors.toSet());
        Map<String, String> defaults = new LinkedHashMap<>();
        if (!named.contains("serverTimezone") && !named.contains("connectionTimeZone")) {
            defaults.put("connectionTimeZone", "UTC");
        }
        // Per connection: 500 statements (the server's code holds about 400 SQL texts, and some build IN lists)
        // of up to 4 KiB (the list queries' joins).
        Map.of("cachePrepStmts", "true", "prepStmtCacheSize", "500", "prepStmtCacheSqlLimit", "4096")
                .forEach((key, value) -> {
                    if (!named.contains(key)) {
                        defaults.put(key, value);
                    }
                });
        return defaults;
    }

    private static boolean rejectedSqlMode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == ER_WRONG_VALUE_FOR_VAR
                    && String.valueOf(sql.getMessage()).contains(NO_AUTO_CREATE_USER)) {
                return true;
            }
        }
        return false;
    }

    private static DatabaseStartupException explain(DbProperties db, Exception e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new DatabaseStartupException("Cannot connect to the database " + db.name() + " at " + db.host() + ":"
                + db.port() + " as " + db.username() + " (settings from " + db.source() + "): " + root.getMessage(), e);
    }
}
