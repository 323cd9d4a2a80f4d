package io.rbdstack.server.db;

import io.rbdstack.server.api.ApiException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What still depends on a row that is about to be deleted: each kind with its count and the first few
 * names, so the refusal (CloudStack's 536, RESOURCE_IN_USE) tells the admin exactly what to remove first.
 */
public final class Dependents {

    /** How many names a refusal quotes per kind. */
    static final int NAMES_SHOWN = 3;

    /** One kind of dependent: {@code count} rows, the first of them named. */
    public record Dependent(String kind, long count, List<String> names) {

        String describe() {
            String shown = String.join(", ", names) + (count > names.size() ? ", …" : "");
            return count + " " + kind + " (" + shown + ")";
        }
    }

    private final Jdbc jdbc;
    private final List<Dependent> found = new ArrayList<>();

    public Dependents(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Marks row {@code id} of {@code table} removed unless {@code dependents} finds something that still
     * depends on it (536 then). One transaction under the row's lock: a child created meanwhile either
     * commits first and is counted, or waits for the lock and then finds its parent removed.
     */
    public static void deleteUnlessDepended(Jdbc jdbc, String table, long id, String what, String name,
                                            UnaryOperator<Dependents> dependents) {
        jdbc.transaction(() -> {
            jdbc.query("SELECT id FROM " + table + " WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), id);
            dependents.apply(new Dependents(jdbc)).refuseDeleting(what, name);
            jdbc.update("UPDATE " + table + " SET removed = ? WHERE id = ? AND removed IS NULL", Instant.now(), id);
        });
    }

    /**
     * Adds the live rows of {@code table} matching {@code where} as dependents of kind {@code kind}.
     * Table, name column and condition come from code; only {@code args} come from data.
     */
    public Dependents rows(String kind, String table, String nameColumn, String where, Object... args) {
        long count = jdbc.queryLong("SELECT COUNT(*) FROM " + table + " WHERE removed IS NULL AND " + where, args);
        if (count > 0) {
            List<String> names = jdbc.query("SELECT " + nameColumn + " FROM " + table + " WHERE removed IS NULL AND "
                    + where + " ORDER BY id LIMIT " + NAMES_SHOWN, rs -> rs.getString(1), args);
            found.add(new Dependent(kind, count, names));
        }
        return this;
    }

    public List<Dependent> found() {
        return List.copyOf(found);
    }

    /** Throws the 536 naming every dependent, if there is any. */
    public void refuseDeleting(String what, String name) {
        if (!found.isEmpty()) {
            throw ApiException.inUse(text(what, name, found));
        }
    }

    static String text(String what, String name, List<Dependent> dependents) {
        List<String> parts = dependents.stream().map(Dependent::describe).toList();
        String list = parts.size() == 1 ? parts.get(0)
                : String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
        return "Cannot delete " + what + " " + name + ": it still has " + list + "; delete or move them first";
    }
}
