package io.rbdstack.dbupgrade;

/**
 * One statement of an upgrade script.
 *
 * @param number 1-based position in its script
 * @param line   1-based line of the script where the statement starts; line breaks inside {@code sql}
 *               are kept, so a later line is {@code line} plus the newlines before it
 * @param sql    the statement without its terminating {@code ;} and without {@code --} comments
 */
public record SqlStatement(int number, int line, String sql) {
}
