package io.rbdstack.dbupgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the statements of one script on the upgrade connection. MySQL DDL is not transactional, so a
 * crash can leave a script half-applied; when it is re-run, errors that only say "this change is
 * already there" are tolerated. On a first run every error is fatal.
 */
final class ScriptApplier {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptApplier.class);

    /**
     * 1050 table exists, 1060 duplicate column, 1061 duplicate key name, 1091 can't drop (doesn't exist),
     * 1826 duplicate foreign key (MySQL 8), 1022 duplicate key (MySQL 5.7's duplicate foreign key name),
     * 1068 multiple primary key, 1051 unknown table on DROP TABLE.
     */
    private static final Set<Integer> ALREADY_APPLIED = Set.of(1050, 1060, 1061, 1091, 1826, 1022, 1068, 1051);
    /** 1062 duplicate entry means "already there" only for a row the script inserts, not for a new unique key. */
    private static final int DUPLICATE_ENTRY = 1062;
    /** MariaDB reports a duplicate foreign key name as 1005 "Can't create table … (errno: 121 …)". */
    private static final int CANT_CREATE_TABLE = 1005;
    private static final Pattern INSERT = Pattern.compile("(?i)\\s*INSERT\\b");
    private static final Pattern SENSITIVE = Pattern.compile("(?i)passw|secret|private|api_?key|token");
    private static final int EXCERPT_LENGTH = 80;

    private final Connection connection;

    ScriptApplier(Connection connection) {
        this.connection = connection;
    }

    /**
     * @param rerun the script was found 'Started': tolerate errors that mean "already applied"
     */
    void apply(UpgradeScript script, boolean rerun) throws DbUpgradeException {
        List<SqlStatement> statements = script.statements();
        try (Statement jdbc = connection.createStatement()) {
            jdbc.setEscapeProcessing(false);   // scripts are plain SQL; {…} in a literal must stay as written
            for (SqlStatement statement : statements) {
                try {
                    jdbc.execute(statement.sql());
                } catch (SQLException e) {
                    if (rerun && meansAlreadyApplied(e, statement.sql())) {
                        LOG.info("Re-run of {}: statement {} (line {}) was already applied: {}", script.fileName(),
                                statement.number(), statement.line(), error(e, statement.sql()));
                    } else {
                        throw failure(script, statement, e, rerun);
                    }
                }
            }
        } catch (SQLException e) {
            throw new DbUpgradeException("Upgrade script " + script.fileName() + " could not be run: "
                    + e.getMessage(), e);
        }
    }

    static boolean meansAlreadyApplied(SQLException e, String sql) {
        int code = e.getErrorCode();
        if (ALREADY_APPLIED.contains(code)) {
            return true;
        }
        if (code == DUPLICATE_ENTRY) {
            return INSERT.matcher(sql).lookingAt();
        }
        return code == CANT_CREATE_TABLE && String.valueOf(e.getMessage()).contains("errno: 121");
    }

    private static DbUpgradeException failure(UpgradeScript script, SqlStatement statement, SQLException e,
                                              boolean rerun) {
        return new DbUpgradeException("Upgrade script " + script.fileName() + " failed at statement "
                + statement.number() + " (line " + statement.line() + ": " + excerpt(statement.sql()) + "): "
                + error(e, statement.sql()) + " [error " + e.getErrorCode() + ", SQLState " + e.getSQLState() + "]"
                + (rerun ? " while re-running it after an interrupted upgrade" : "")
                + "; version " + script.version() + " stays 'Started' and is re-run at the next start", e);
    }

    /** The start of a statement on one line; literals are masked when it may carry a credential. */
    static String excerpt(String sql) {
        String oneLine = maskIfSensitive(sql.replaceAll("\\s+", " ").strip(), sql);
        return oneLine.length() <= EXCERPT_LENGTH ? oneLine : oneLine.substring(0, EXCERPT_LENGTH) + "…";
    }

    /** The database's message, which may quote a value of the statement (e.g. a duplicate entry). */
    private static String error(SQLException e, String sql) {
        return maskIfSensitive(String.valueOf(e.getMessage()), sql);
    }

    private static String maskIfSensitive(String text, String sql) {
        return SENSITIVE.matcher(sql.toLowerCase(Locale.ROOT)).find()
                ? text.replaceAll("'(?:[^'\\\\]|\\\\.|'')*'", "'***'")
                : text;
    }
}
