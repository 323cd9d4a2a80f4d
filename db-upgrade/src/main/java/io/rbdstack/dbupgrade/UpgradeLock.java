package io.rbdstack.dbupgrade;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The named lock that lets only one management server check and upgrade a schema at a time. Its
 * name includes the schema, so servers of different schemas on one database server don't wait on
 * each other. It belongs to the session of one connection: everything done under it must use that
 * connection, and the server drops it by itself if that connection dies.
 */
final class UpgradeLock implements AutoCloseable {

    private static final String PREFIX = "rbdstack.db-upgrade.";
    /** MySQL 5.7 limits lock names to 64 characters. */
    private static final int MAX_NAME = 64;

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeLock.class);

    private final Connection connection;
    private final String name;
    private final Duration waited;

    private UpgradeLock(Connection connection, String name, Duration waited) {
        this.connection = connection;
        this.name = name;
        this.waited = waited;
    }

    /** The lock's name for {@code schema}: the schema itself, or its SHA-1 when too long. */
    static String nameFor(String schema) {
        if (PREFIX.length() + schema.length() <= MAX_NAME) {
            return PREFIX + schema;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(schema.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return PREFIX + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static UpgradeLock acquire(Connection connection, Duration timeout) throws DbUpgradeException, SQLException {
        String lockName = nameFor(connection.getCatalog());
        long seconds = Math.max(0, timeout.toSeconds());
        long start = System.nanoTime();
        Integer got;
        try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, lockName);
            ps.setLong(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                got = rs.getObject(1) == null ? null : rs.getInt(1);
            }
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        if (got == null || got != 1) {
            throw new DbUpgradeException(got == null
                    ? "Could not take the database upgrade lock '" + lockName + "': the database returned an error"
                            + " (was this session killed?); refusing to start"
                    : "Timed out after " + seconds + " s waiting for the database upgrade lock '" + lockName
                            + "', held by database connection " + holder(connection, lockName)
                            + " (another management server upgrading this database?); refusing to start");
        }
        if (waited.toMillis() >= 1000) {
            LOG.info("Waited {} ms for the database upgrade lock '{}'", waited.toMillis(), lockName);
        }
        return new UpgradeLock(connection, lockName, waited);
    }

    Duration waited() {
        return waited;
    }

    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        } catch (SQLException e) {
            // The lock belongs to the session: end it, or a pooled connection would keep the lock.
            LOG.warn("Could not release the database upgrade lock '{}' ({}); closing its connection",
                    name, e.getMessage());
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException abortFailed) {
                LOG.warn("Could not close the connection holding the upgrade lock: {}", abortFailed.getMessage());
            }
        }
    }

    private static String holder(Connection connection, String lockName) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, lockName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? "id " + rs.getLong(1) : "(released meanwhile)";
            }
        } catch (SQLException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }
}
