package io.rbdstack.dbupgrade;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide named lock that lets only one management server check and upgrade the schema at a
 * time. It belongs to the session of one connection: everything done under it must use that
 * connection, and the server drops it by itself if that connection dies.
 */
final class UpgradeLock implements AutoCloseable {

    static final String NAME = "rbdstack.db-upgrade";

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeLock.class);

    private final Connection connection;
    private final Duration waited;

    private UpgradeLock(Connection connection, Duration waited) {
        this.connection = connection;
        this.waited = waited;
    }

    static UpgradeLock acquire(Connection connection, Duration timeout) throws DbUpgradeException, SQLException {
        long seconds = Math.max(0, timeout.toSeconds());
        long start = System.nanoTime();
        Integer got;
        try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, NAME);
            ps.setLong(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                got = rs.getObject(1) == null ? null : rs.getInt(1);
            }
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        if (got == null || got != 1) {
            throw new DbUpgradeException(got == null
                    ? "Could not take the database upgrade lock '" + NAME + "': the database returned an error"
                            + " (was this session killed?); refusing to start"
                    : "Timed out after " + seconds + " s waiting for the database upgrade lock '" + NAME
                            + "', held by database connection " + holder(connection)
                            + " (another management server upgrading this database?); refusing to start");
        }
        if (waited.toMillis() >= 1000) {
            LOG.info("Waited {} ms for the database upgrade lock '{}'", waited.toMillis(), NAME);
        }
        return new UpgradeLock(connection, waited);
    }

    Duration waited() {
        return waited;
    }

    @Override
    public void close() {
        try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, NAME);
            ps.executeQuery().close();
        } catch (SQLException e) {
            // The lock goes with the session; a broken connection has released it already.
            LOG.warn("Could not release the database upgrade lock '{}': {}", NAME, e.getMessage());
        }
    }

    private static String holder(Connection connection) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? "id " + rs.getLong(1) : "(released meanwhile)";
            }
        } catch (SQLException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }
}
