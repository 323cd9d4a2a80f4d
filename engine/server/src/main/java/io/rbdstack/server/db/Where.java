package io.rbdstack.server.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A WHERE clause made of the filters a list call actually gives, each with its argument, so the
 * planner sees plain conditions it can answer from an index; a {@code (? IS NULL OR col = ?)} for
 * every possible filter makes it read every row. Conditions come from code, never from a request:
 * values only ever travel as arguments.
 */
public final class Where {

    private final List<String> conditions = new ArrayList<>();
    private final List<Object> args = new ArrayList<>();

    private Where() {
    }

    /** A clause of the filters added to it; none at all makes no WHERE. */
    public static Where empty() {
        return new Where();
    }

    /** A clause that always holds {@code condition}, e.g. {@code "s.removed IS NULL"}. */
    public static Where of(String condition, Object... args) {
        return new Where().and(condition, args);
    }

    public Where and(String condition, Object... values) {
        conditions.add(condition);
        args.addAll(java.util.Arrays.asList(values)); // a null argument binds SQL NULL
        return this;
    }

    /** Conditions made elsewhere, each starting with {@code " AND "} (a list's owner scope, its tag filter). */
    public Where and(io.rbdstack.server.api.ListScope.Sql more) {
        if (!more.text().isEmpty()) {
            and(more.text().substring(" AND ".length()), more.args().toArray());
        }
        return this;
    }

    /** {@code condition} with its one {@code ?} bound to the value, when there is one. */
    public Where andIf(String condition, Optional<?> value) {
        value.ifPresent(v -> and(condition, v));
        return this;
    }

    /** {@code column IN (…)} over the values, when there are some. */
    public Where andIn(String column, Collection<?> values) {
        if (!values.isEmpty()) {
            and(column + " IN (" + String.join(", ", java.util.Collections.nCopies(values.size(), "?")) + ")",
                    values.toArray());
        }
        return this;
    }

    /** {@code column IN (…)} over the ids a call names: none at all matches nothing. */
    public Where andAmong(String column, Collection<?> values) {
        return values.isEmpty() ? and("1 = 0") : andIn(column, values);
    }

    /** {@code column LIKE %keyword%}, CloudStack's keyword filter, when a keyword is given; matched literally. */
    public Where andContains(String column, Optional<String> keyword) {
        return andIf(column + " LIKE ?", keyword.map(Where::containing));
    }

    /** {@code %text%} with LIKE's wildcards in {@code text} escaped, so a keyword matches literally. */
    public static String containing(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** {@code " WHERE a AND b"}, or nothing when there are no conditions. */
    public String sql() {
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    public Object[] args() {
        return args.toArray();
    }

    /** The arguments followed by {@code more} (those of placeholders after the clause). */
    public Object[] args(Object... more) {
        List<Object> all = new ArrayList<>(args);
        all.addAll(java.util.Arrays.asList(more));
        return all.toArray();
    }
}
