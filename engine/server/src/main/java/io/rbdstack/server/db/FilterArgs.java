package io.rbdstack.server.db;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Arguments of the optional filters list commands use: each {@code (? IS NULL OR col = ?)} takes
 * its value twice, and a keyword {@code (? IS NULL OR col LIKE ?)} takes it bare and as
 * {@code %keyword%}. Values are given in the order their placeholders appear.
 *
 * <p>That pattern makes the planner read every row, which only small tables (zones, pods, clusters,
 * hosts, pools, image stores, offerings, settings, users) can afford; lists of tables that grow
 * (snapshots, volumes, jobs, snapshot policies) build their WHERE clause with {@link Where}, and so
 * should the others when they are next changed.
 */
public final class FilterArgs {

    /** A keyword filter's value. */
    public record Like(Optional<String> text) {
    }

    private FilterArgs() {
    }

    public static Like like(Optional<String> text) {
        return new Like(text);
    }

    /** @param filters {@link Optional}s (equality filters) and {@link Like}s, in placeholder order */
    public static Object[] of(Object... filters) {
        List<Object> args = new ArrayList<>();
        for (Object filter : filters) {
            if (filter instanceof Like like) {
                args.add(like.text().orElse(null));
                args.add(like.text().map(k -> "%" + k + "%").orElse(null));
            } else if (filter instanceof Optional<?> value) {
                args.add(value.orElse(null));
                args.add(value.orElse(null));
            } else {
                throw new IllegalArgumentException("not a filter value: " + filter);
            }
        }
        return args.toArray();
    }
}
