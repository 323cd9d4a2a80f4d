package io.rbdstack.server.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The WHERE clause of a list query built from the filters a call gives: only given filters become
 * conditions, so the planner sees exactly what is asked (no {@code (? IS NULL OR …)}) and picks the
 * index that serves it.
 */
public final class SqlConditions {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    /** Adds {@code condition} (with its {@code ?} placeholders) and their values. */
    public SqlConditions add(String condition, Object... values) {
        conditions.add(condition);
        Collections.addAll(args, values);
        return this;
    }

    /** Adds {@code column IN (…)}; an empty collection matches nothing. */
    public SqlConditions in(String column, Collection<?> values) {
        if (values.isEmpty()) {
            return add("1 = 0");
        }
        add(column + " IN (" + String.join(", ", Collections.nCopies(values.size(), "?")) + ")");
        args.addAll(values);
        return this;
    }

    /** {@code " WHERE a AND b"}, or nothing without conditions. */
    public String where() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    public Object[] args() {
        return args.toArray();
    }

    /** {@code %text%} with LIKE's wildcards in {@code text} escaped, so a keyword matches literally. */
    public static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
