package io.rbdstack.dbupgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema to the newest (or a given) version at start-up. One dedicated connection holds
 * the server-wide lock {@value UpgradeLock#NAME} while the {@code version} table is checked and the
 * pending scripts are applied, so of several servers starting at once exactly one upgrades and the
 * others wait, then find nothing to do.
 */
public final class DbUpgrader {

    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(300);

    private static final Logger LOG = LoggerFactory.getLogger(DbUpgrader.class);

    private final DataSource dataSource;
    private final UpgradeScripts scripts;   // null: load from the class path when needed
    private final Duration lockTimeout;

    /** Scripts from the class path index {@value UpgradeScripts#INDEX}. */
    public DbUpgrader(DataSource dataSource) {
        this(dataSource, null, DEFAULT_LOCK_TIMEOUT);
    }

    public DbUpgrader(DataSource dataSource, UpgradeScripts scripts) {
        this(dataSource, Objects.requireNonNull(scripts, "scripts"), DEFAULT_LOCK_TIMEOUT);
    }

    private DbUpgrader(DataSource dataSource, UpgradeScripts scripts, Duration lockTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.scripts = scripts;
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
    }

    /** The same upgrader waiting at most {@code timeout} (whole seconds) for the lock; default 300 s. */
    public DbUpgrader withLockTimeout(Duration timeout) {
        return new DbUpgrader(dataSource, scripts, timeout);
    }

    /** Applies every pending script. */
    public UpgradeResult upgrade() throws DbUpgradeException {
        UpgradeScripts known = scripts();
        return upgradeTo(known, known.newestVersion());
    }

    /** Applies the pending scripts up to and including {@code version}; for tests of older schemas. */
    public UpgradeResult upgradeTo(int version) throws DbUpgradeException {
        return upgradeTo(scripts(), version);
    }

    private UpgradeResult upgradeTo(UpgradeScripts known, int version) throws DbUpgradeException {
        if (version < 0 || version > known.newestVersion()) {
            throw new DbUpgradeException("Cannot upgrade to version " + version
                    + ": this server's upgrade scripts go up to version " + known.newestVersion());
        }
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new DbUpgradeException("Cannot connect to the database to check its schema version: "
                    + e.getMessage(), e);
        }
        try (connection) {
            connection.setAutoCommit(true);   // DDL commits anyway; each version row must be visible at once
            try (UpgradeLock lock = UpgradeLock.acquire(connection, lockTimeout)) {
                return upgradeLocked(connection, known, version, lock.waited());
            }
        } catch (SQLException e) {
            throw new DbUpgradeException("Database upgrade failed: " + e.getMessage(), e);
        }
    }

    private UpgradeResult upgradeLocked(Connection connection, UpgradeScripts known, int target, Duration waited)
            throws DbUpgradeException, SQLException {
        VersionTable table = new VersionTable(connection);
        table.createIfMissing();
        Map<Integer, AppliedVersion> rows = new HashMap<>();
        for (AppliedVersion row : table.read()) {
            rows.put(row.version(), row);
        }
        int from = AppliedVersions.verify(rows.values(), known);

        List<Integer> applied = new ArrayList<>();
        int to = from;
        for (UpgradeScript script : known.all()) {
            AppliedVersion row = rows.get(script.version());
            if (script.version() > target || (row != null && row.complete())) {
                continue;
            }
            boolean rerun = row != null;
            if (rerun) {
                LOG.warn("Upgrade script {} was left half-applied by an earlier start; re-running it",
                        script.fileName());
            }
            long start = System.nanoTime();
            table.markStarted(script, rerun);
            new ScriptApplier(connection).apply(script, rerun);
            table.markComplete(script.version());
            LOG.info("Applied upgrade script {} in {} ms", script.fileName(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis());
            applied.add(script.version());
            to = script.version();
        }
        if (applied.isEmpty()) {
            LOG.info("Database schema is at version {}; nothing to upgrade", from);
        } else {
            LOG.info("Database schema upgraded from version {} to {}", from, to);
        }
        return new UpgradeResult(from, to, applied, waited);
    }

    private UpgradeScripts scripts() throws DbUpgradeException {
        return scripts != null ? scripts : UpgradeScripts.fromClasspath();
    }
}
