package io.rbdstack.dbupgrade;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code version} table: one row per script, written 'Started' before its statements run and
 * 'Complete' after, so a crash in between is visible at the next start. {@code updated} is UTC.
 */
final class VersionTable {

    static final String STARTED = "Started";
    static final String COMPLETE = "Complete";

    static final String CREATE = """
            CREATE TABLE IF NOT EXISTS `version` (
              `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
              `version` INT NOT NULL,
              `description` VARCHAR(255) NOT NULL,
              `checksum` CHAR(64) NOT NULL,
              `step` VARCHAR(16) NOT NULL,
              `updated` DATETIME NOT NULL,
              UNIQUE KEY `uk_version__version` (`version`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4""";

    private final Connection connection;

    VersionTable(Connection connection) {
        this.connection = connection;
    }

    void createIfMissing() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(CREATE);
        }
    }

    /** Every row, lowest version first. */
    List<AppliedVersion> read() throws DbUpgradeException {
        List<AppliedVersion> rows = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT `version`, `description`, `checksum`, `step` FROM `version` ORDER BY `version`")) {
            while (rs.next()) {
                rows.add(new AppliedVersion(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        } catch (SQLException e) {
            throw new DbUpgradeException("Cannot read the schema version table `version` (" + e.getMessage()
                    + "); is this database an rbdstack database?", e);
        }
        for (AppliedVersion row : rows) {
            if (!STARTED.equals(row.step()) && !COMPLETE.equals(row.step())) {
                throw new DbUpgradeException("The version table has step '" + row.step() + "' for version "
                        + row.version() + ", expected 'Started' or 'Complete'; refusing to start");
            }
        }
        return rows;
    }

    /** Records that {@code script} is about to run; {@code rowExists} when a previous start left it 'Started'. */
    void markStarted(UpgradeScript script, boolean rowExists) throws SQLException {
        String sql = rowExists
                ? "UPDATE `version` SET `description` = ?, `checksum` = ?, `step` = ?, `updated` = UTC_TIMESTAMP()"
                        + " WHERE `version` = ?"
                : "INSERT INTO `version` (`description`, `checksum`, `step`, `updated`, `version`)"
                        + " VALUES (?, ?, ?, UTC_TIMESTAMP(), ?)";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, script.description());
            ps.setString(2, script.checksum());
            ps.setString(3, STARTED);
            ps.setInt(4, script.version());
            ps.executeUpdate();
        }
    }

    void markComplete(int version) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "UPDATE `version` SET `step` = ?, `updated` = UTC_TIMESTAMP() WHERE `version` = ?")) {
            ps.setString(1, COMPLETE);
            ps.setInt(2, version);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("no version row for version " + version);
            }
        }
    }
}
