package io.rbdstack.dbupgrade.portability;

import io.rbdstack.dbupgrade.portability.SqlNode.Group;
import io.rbdstack.dbupgrade.portability.SqlNode.Leaf;
import io.rbdstack.dbupgrade.portability.SqlToken.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** What the ORDER BY rules need to know about one select-list, GROUP BY or ORDER BY item. */
final class SqlExpression {

    static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "MIN", "MAX", "AVG", "GROUP_CONCAT", "BIT_AND",
            "BIT_OR", "BIT_XOR", "STD", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VAR_POP", "VAR_SAMP", "VARIANCE",
            "JSON_ARRAYAGG", "JSON_OBJECTAGG");

    /** Words that are never column references. */
    private static final Set<String> KEYWORDS = Set.of("AND", "OR", "NOT", "XOR", "NULL", "IS", "IN", "LIKE",
            "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "ASC", "DESC", "AS", "INTERVAL", "TRUE", "FALSE",
            "UNKNOWN", "DISTINCT", "ALL", "BINARY", "COLLATE", "REGEXP", "RLIKE", "DIV", "MOD", "ESCAPE",
            "SEPARATOR", "EXISTS", "SELECT", "FROM", "WHERE", "ON", "USING", "SOUNDS", "CURRENT_TIMESTAMP",
            "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP", "UTC_TIMESTAMP", "UTC_DATE", "UTC_TIME",
            "MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "SECOND_MICROSECOND",
            "MINUTE_SECOND", "HOUR_MINUTE", "DAY_HOUR", "YEAR_MONTH", "DAY_SECOND", "DAY_MINUTE", "HOUR_SECOND",
            "CHAR", "SIGNED", "UNSIGNED", "INTEGER", "DECIMAL", "DATETIME", "CHARACTER", "SET", "UTF8", "UTF8MB4",
            "WITH", "ROLLUP");

    private SqlExpression() {
    }

    /** An ORDER BY item without its ASC / DESC. */
    static List<SqlNode> withoutDirection(List<SqlNode> item) {
        int last = item.size() - 1;
        return last > 0 && (SqlNode.isWord(item.get(last), "ASC") || SqlNode.isWord(item.get(last), "DESC"))
                ? item.subList(0, last) : item;
    }

    /** {@code ORDER BY 2}: refers to a select-list position, which the select list itself answers for. */
    static boolean isPosition(List<SqlNode> item) {
        return item.size() == 1 && SqlNode.isKind(item.get(0), Kind.NUMBER);
    }

    /** Contains a glued-in Java expression or a format placeholder, so its meaning is unknown here. */
    static boolean hasUnknown(List<SqlNode> nodes) {
        for (SqlNode node : nodes) {
            if (SqlNode.isKind(node, Kind.UNKNOWN) || (node instanceof Group g && hasUnknown(g.children()))) {
                return true;
            }
        }
        return false;
    }

    /** The alias of a select-list item ({@code expr AS a} or {@code expr a}). */
    static Optional<String> alias(List<SqlNode> item) {
        int last = item.size() - 1;
        if (last < 1 || !(item.get(last) instanceof Leaf name) || !isColumnWord(name.token())) {
            return Optional.empty();
        }
        SqlNode before = item.get(last - 1);
        boolean ok = SqlNode.isWord(before, "AS") || before instanceof Group
                || (before instanceof Leaf leaf && (leaf.token().is(Kind.NUMBER) || leaf.token().is(Kind.STRING)
                        || leaf.token().is(Kind.PARAM) || (leaf.token().is(Kind.WORD) && isColumnWord(leaf.token()))));
        return ok ? Optional.of(name.token().lower()) : Optional.empty();
    }

    /** A select-list item without its alias. */
    static List<SqlNode> withoutAlias(List<SqlNode> item) {
        if (alias(item).isEmpty()) {
            return item;
        }
        int end = item.size() - 1;
        return SqlNode.isWord(item.get(end - 1), "AS") ? item.subList(0, end - 1) : item.subList(0, end);
    }

    /** The column name when the expression is nothing but a column reference. */
    static Optional<String> plainColumn(List<SqlNode> expression) {
        return expression.size() == 1 && expression.get(0) instanceof Leaf leaf && isColumnWord(leaf.token())
                ? Optional.of(leaf.token().lower()) : Optional.empty();
    }

    static boolean isWildcard(List<SqlNode> expression) {
        return expression.size() == 1 && expression.get(0) instanceof Leaf leaf
                && (leaf.token().isSymbol("*") || leaf.token().text().endsWith(".*"));
    }

    /** Column references of an expression; unless {@code insideAggregates}, COUNT(…) etc. are not looked into. */
    static References references(List<SqlNode> nodes, boolean insideAggregates) {
        References refs = new References();
        collect(nodes, insideAggregates, refs);
        return refs;
    }

    private static void collect(List<SqlNode> nodes, boolean insideAggregates, References refs) {
        for (int i = 0; i < nodes.size(); i++) {
            SqlNode node = nodes.get(i);
            SqlNode next = i + 1 < nodes.size() ? nodes.get(i + 1) : null;
            if (node instanceof Group group) {
                if (!SqlNode.isSubquery(group)) {
                    collect(group.children(), insideAggregates, refs);
                }
            } else if (node instanceof Leaf leaf && leaf.token().is(Kind.WORD)) {
                boolean call = next instanceof Group;
                boolean afterAs = i > 0 && SqlNode.isWord(nodes.get(i - 1), "AS");   // CAST(x AS type)
                if (call && AGGREGATES.contains(leaf.token().text().toUpperCase(Locale.ROOT))) {
                    refs.aggregate = true;
                    if (!insideAggregates) {
                        i++;   // skip the arguments
                    }
                } else if (!call && !afterAs && isColumnWord(leaf.token())) {
                    refs.columns.add(leaf.token().lower());
                }
            }
        }
    }

    static boolean isColumnWord(SqlToken token) {
        return token.is(Kind.WORD) && !KEYWORDS.contains(token.text().toUpperCase(Locale.ROOT))
                && !token.text().endsWith("*");
    }

    /** {@code h.name} and {@code name} are taken to be the same column: lenient, so no false alarms. */
    static String lastSegment(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    static final class References {
        final List<String> columns = new ArrayList<>();
        boolean aggregate;
    }
}
