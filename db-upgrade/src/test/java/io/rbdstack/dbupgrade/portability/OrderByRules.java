package io.rbdstack.dbupgrade.portability;

import static io.rbdstack.dbupgrade.portability.SqlExpression.lastSegment;

import io.rbdstack.dbupgrade.portability.SqlPortabilityRules.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The two ORDER BY patterns MariaDB accepts under ONLY_FULL_GROUP_BY and MySQL 5.7 rejects:
 * ordering a GROUP BY result by a column that is neither grouped nor aggregated (error 1055), and
 * ordering a SELECT DISTINCT by something that is not in its select list (error 3065).
 */
final class OrderByRules {

    static final String GROUP_BY = "group-by-order-by";
    static final String DISTINCT = "distinct-order-by";

    private OrderByRules() {
    }

    static List<Finding> check(List<SqlNode> statement) {
        List<Finding> findings = new ArrayList<>();
        for (SelectBlock block : SelectBlock.findAll(statement)) {
            if (!block.groupBy().isEmpty()) {
                checkGroupBy(block, findings);
            }
            if (block.distinct()) {
                checkDistinct(block, findings);
            }
        }
        return findings;
    }

    private static void checkGroupBy(SelectBlock block, List<Finding> findings) {
        Set<String> grouped = new HashSet<>();
        Set<String> groupedColumns = new HashSet<>();
        for (List<SqlNode> item : block.groupBy()) {
            List<SqlNode> expression = SqlExpression.withoutDirection(item);
            if (SqlExpression.isPosition(expression)) {
                expression = selectItemAt(block, expression).map(SqlExpression::withoutAlias).orElse(List.of());
            }
            grouped.add(SqlNode.render(expression));
            SqlExpression.plainColumn(expression).ifPresent(c -> groupedColumns.add(lastSegment(c)));
        }
        Set<String> aliases = aliases(block);
        for (List<SqlNode> item : block.orderBy()) {
            List<SqlNode> expression = SqlExpression.withoutDirection(item);
            if (SqlExpression.isPosition(expression) || SqlExpression.hasUnknown(expression)
                    || grouped.contains(SqlNode.render(expression))) {
                continue;
            }
            List<String> loose = SqlExpression.references(expression, false).columns.stream()
                    .filter(c -> !groupedColumns.contains(lastSegment(c)) && !isAlias(c, aliases))
                    .toList();
            if (!loose.isEmpty()) {
                findings.add(new Finding(GROUP_BY, expression.get(0).offset(), "ORDER BY "
                        + SqlNode.render(expression) + " uses " + String.join(", ", loose) + ", which is neither in"
                        + " the GROUP BY nor aggregated: MySQL 5.7 rejects this (ONLY_FULL_GROUP_BY),"
                        + " MariaDB does not"));
            }
        }
    }

    private static void checkDistinct(SelectBlock block, List<Finding> findings) {
        Set<String> selected = new HashSet<>();
        Set<String> selectedColumns = new HashSet<>();
        for (List<SqlNode> item : block.select()) {
            List<SqlNode> expression = SqlExpression.withoutAlias(item);
            if (SqlExpression.isWildcard(expression) || SqlExpression.hasUnknown(expression)) {
                return;   // the select list is not known here
            }
            selected.add(SqlNode.render(expression));
            SqlExpression.plainColumn(expression).ifPresent(c -> selectedColumns.add(lastSegment(c)));
        }
        Set<String> aliases = aliases(block);
        for (List<SqlNode> item : block.orderBy()) {
            List<SqlNode> expression = SqlExpression.withoutDirection(item);
            if (SqlExpression.isPosition(expression) || SqlExpression.hasUnknown(expression)
                    || selected.contains(SqlNode.render(expression))) {
                continue;
            }
            SqlExpression.References refs = SqlExpression.references(expression, true);
            List<String> missing = refs.columns.stream()
                    .filter(c -> !selectedColumns.contains(lastSegment(c)) && !isAlias(c, aliases))
                    .toList();
            if (refs.aggregate || !missing.isEmpty()) {
                findings.add(new Finding(DISTINCT, expression.get(0).offset(), "ORDER BY "
                        + SqlNode.render(expression) + (refs.aggregate ? " is an aggregate" : " uses "
                        + String.join(", ", missing)) + " not in the SELECT DISTINCT list: MySQL 5.7 rejects this"
                        + " (error 3065), MariaDB does not"));
            }
        }
    }

    private static Optional<List<SqlNode>> selectItemAt(SelectBlock block, List<SqlNode> position) {
        int index = Integer.parseInt(position.get(0).render()) - 1;
        return index >= 0 && index < block.select().size() ? Optional.of(block.select().get(index)) : Optional.empty();
    }

    private static Set<String> aliases(SelectBlock block) {
        Set<String> aliases = new HashSet<>();
        block.select().forEach(item -> SqlExpression.alias(item).ifPresent(aliases::add));
        return aliases;
    }

    private static boolean isAlias(String column, Set<String> aliases) {
        return column.indexOf('.') < 0 && aliases.contains(column);
    }
}
