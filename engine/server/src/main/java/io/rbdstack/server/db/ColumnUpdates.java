package io.rbdstack.server.db;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The columns an update command changes: only those given a value, in one {@code UPDATE} statement,
 * so a change is applied whole or not at all. Column and table names come from code, never from a request.
 */
public final class ColumnUpdates {

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** Sets {@code column} if {@code value} is present. */
    public ColumnUpdates set(String column, Optional<?> value) {
        value.ifPresent(v -> values.put(column, v));
        return this;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Updates row {@code id} of {@code table}; returns the rows changed (0 when nothing was given). */
    public int apply(Jdbc jdbc, String table, long id) {
        if (values.isEmpty()) {
            return 0;
        }
        String assignments = values.keySet().stream().map(c -> c + " = ?").collect(Collectors.joining(", "));
        Object[] args = new Object[values.size() + 1];
        int i = 0;
        for (Object value : values.values()) {
            args[i++] = value;
        }
        args[i] = id;
        return jdbc.update("UPDATE " + table + " SET " + assignments + " WHERE id = ?", args);
    }
}
