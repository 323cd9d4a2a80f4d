package io.rbdstack.dbupgrade.portability;

import io.rbdstack.dbupgrade.portability.SqlNode.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One SELECT of a statement (subqueries included) cut into the clauses the ORDER BY rules need.
 *
 * @param orderBy empty when the ORDER BY belongs to a UNION (it then sorts the union's result)
 */
record SelectBlock(boolean distinct, List<List<SqlNode>> select, List<List<SqlNode>> groupBy,
                   List<List<SqlNode>> orderBy) {

    private static final Set<String> MODIFIERS = Set.of("ALL", "DISTINCT", "DISTINCTROW", "HIGH_PRIORITY",
            "STRAIGHT_JOIN", "SQL_SMALL_RESULT", "SQL_BIG_RESULT", "SQL_BUFFER_RESULT", "SQL_CACHE",
            "SQL_NO_CACHE", "SQL_CALC_FOUND_ROWS");
    private static final Set<String> SET_OPERATORS = Set.of("UNION", "EXCEPT", "INTERSECT", "MINUS");
    private static final Set<String> SELECT_LIST_END = Set.of("FROM", "INTO", "WHERE", "GROUP", "HAVING", "ORDER",
            "LIMIT", "WINDOW", "FOR", "LOCK", "PROCEDURE");
    private static final Set<String> GROUP_BY_END = Set.of("HAVING", "ORDER", "LIMIT", "WINDOW", "WITH", "FOR",
            "LOCK", "INTO", "PROCEDURE", "ON");
    private static final Set<String> ORDER_BY_END = Set.of("LIMIT", "WINDOW", "FOR", "LOCK", "INTO", "PROCEDURE",
            "ON");

    /** Every SELECT in {@code nodes}, at any depth. */
    static List<SelectBlock> findAll(List<SqlNode> nodes) {
        List<SelectBlock> blocks = new ArrayList<>();
        collect(nodes, blocks);
        return blocks;
    }

    private static void collect(List<SqlNode> level, List<SelectBlock> blocks) {
        for (SqlNode node : level) {
            if (node instanceof Group group) {
                collect(group.children(), blocks);
            }
        }
        List<List<SqlNode>> segments = new ArrayList<>();
        List<SqlNode> current = new ArrayList<>();
        for (SqlNode node : level) {
            if (isAnyWord(node, SET_OPERATORS)) {
                segments.add(current);
                current = new ArrayList<>();
            } else {
                current.add(node);
            }
        }
        segments.add(current);
        boolean setOperation = segments.size() > 1;
        for (int s = 0; s < segments.size(); s++) {
            List<SqlNode> segment = segments.get(s);
            List<Integer> selects = new ArrayList<>();
            for (int i = 0; i < segment.size(); i++) {
                if (SqlNode.isWord(segment.get(i), "SELECT")) {
                    selects.add(i);
                }
            }
            for (int k = 0; k < selects.size(); k++) {
                int end = k + 1 < selects.size() ? selects.get(k + 1) : segment.size();
                boolean unionTail = setOperation && s == segments.size() - 1 && k == selects.size() - 1;
                blocks.add(parse(segment.subList(selects.get(k), end), unionTail));
            }
        }
    }

    private static SelectBlock parse(List<SqlNode> block, boolean unionTail) {
        int i = 1;
        boolean distinct = false;
        while (i < block.size() && isAnyWord(block.get(i), MODIFIERS)) {
            distinct |= SqlNode.isWord(block.get(i), "DISTINCT") || SqlNode.isWord(block.get(i), "DISTINCTROW");
            i++;
        }
        int selectEnd = find(block, i, SELECT_LIST_END);
        List<List<SqlNode>> groupBy = List.of();
        List<List<SqlNode>> orderBy = List.of();
        for (int j = selectEnd; j + 1 < block.size(); j++) {
            if (SqlNode.isWord(block.get(j + 1), "BY")) {
                if (SqlNode.isWord(block.get(j), "GROUP")) {
                    groupBy = splitItems(block.subList(j + 2, find(block, j + 2, GROUP_BY_END)));
                } else if (SqlNode.isWord(block.get(j), "ORDER") && !unionTail) {
                    orderBy = splitItems(block.subList(j + 2, find(block, j + 2, ORDER_BY_END)));
                }
            }
        }
        return new SelectBlock(distinct, splitItems(block.subList(i, selectEnd)), groupBy, orderBy);
    }

    private static int find(List<SqlNode> nodes, int from, Set<String> words) {
        for (int i = from; i < nodes.size(); i++) {
            if (isAnyWord(nodes.get(i), words)) {
                return i;
            }
        }
        return nodes.size();
    }

    private static List<List<SqlNode>> splitItems(List<SqlNode> nodes) {
        List<List<SqlNode>> items = new ArrayList<>();
        List<SqlNode> current = new ArrayList<>();
        for (SqlNode node : nodes) {
            if (SqlNode.isKind(node, SqlToken.Kind.COMMA)) {
                items.add(current);
                current = new ArrayList<>();
            } else {
                current.add(node);
            }
        }
        items.add(current);
        items.removeIf(List::isEmpty);
        return items;
    }

    private static boolean isAnyWord(SqlNode node, Set<String> upperCaseWords) {
        return node instanceof SqlNode.Leaf leaf && leaf.token().is(SqlToken.Kind.WORD)
                && upperCaseWords.contains(leaf.token().text().toUpperCase(java.util.Locale.ROOT));
    }
}
