package io.rbdstack.server.db;

import io.rbdstack.server.api.ListScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The WHERE conditions of a list query, only those its filters ask for (so the query stays a plain indexed
 * one), with their arguments in order. Condition texts come from code, never from a request.
 */
public final class Conditions {

    private final StringBuilder text = new StringBuilder();
    private final List<Object> args = new ArrayList<>();

    /** Adds {@code condition} (" AND …") with its arguments. */
    public Conditions and(String condition, Object... values) {
        text.append(condition);
        args.addAll(List.of(values));
        return this;
    }

    /** Adds {@code condition} with the value as its one argument, if the filter is given. */
    public Conditions and(String condition, Optional<?> value) {
        value.ifPresent(v -> and(condition, v));
        return this;
    }

    /** Adds a keyword search: {@code condition} takes {@code %keyword%} (matched literally) once per placeholder. */
    public Conditions like(String condition, Optional<String> keyword) {
        keyword.ifPresent(k -> {
            text.append(condition);
            long placeholders = condition.chars().filter(c -> c == '?').count();
            for (long i = 0; i < placeholders; i++) {
                args.add(Where.containing(k));
            }
        });
        return this;
    }

    public Conditions and(ListScope.Sql sql) {
        text.append(sql.text());
        args.addAll(sql.args());
        return this;
    }

    public ListScope.Sql sql() {
        return new ListScope.Sql(text.toString(), List.copyOf(args));
    }
}
