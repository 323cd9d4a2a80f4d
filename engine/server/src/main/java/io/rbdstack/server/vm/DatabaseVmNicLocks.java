package io.rbdstack.server.vm;

import io.rbdstack.server.api.ApiException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link VmNicLocks} as MySQL named locks (GET_LOCK): they hold no row, belong to one connection's session
 * (taken from the pool for the job and given back after RELEASE_LOCK), and the database drops them by itself
 * when that session dies with its server. The name has the VM's id only: servers of two schemas on one
 * database server may wait for each other's NIC change of a VM with the same id, which is harmless.
 */
final class DatabaseVmNicLocks implements VmNicLocks {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseVmNicLocks.class);
    private static final String PREFIX = "rbdstack.vm-nics.";

    private final DataSource dataSource;
    private final Duration timeout;

    DatabaseVmNicLocks(DataSource dataSource, Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    @Override
    public <T> T holding(long vmId, Supplier<T> work) {
        String name = PREFIX + vmId;
        try (Connection connection = dataSource.getConnection()) {
            take(connection, name, vmId);
            try {
                return work.get();
            } finally {
                release(connection, name);
            }
        } catch (SQLException e) {
            throw ApiException.internal("Unable to change the NICs of VM " + vmId + ": its NIC lock failed", e);
        }
    }

    private void take(Connection connection, String name, long vmId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            ps.setString(1, name);
            ps.setLong(2, timeout.toSeconds());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getInt(1) != 1) { // 0 after the timeout, NULL on an error
                    throw ApiException.internal("Unable to change the NICs of VM " + vmId + ": another change of"
                            + " its NICs still runs after " + timeout.toSeconds() + " s", null);
                }
            }
        }
    }

    private static void release(Connection connection, String name) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        } catch (SQLException e) {
            // A pooled connection must not keep the lock: its session ends with it.
            LOG.warn("Could not release the NIC lock {} ({}); closing its connection", name, e.getMessage());
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException abortFailed) {
                LOG.warn("Could not close the connection holding {} either: {}", name, abortFailed.getMessage());
            }
        }
    }
}
