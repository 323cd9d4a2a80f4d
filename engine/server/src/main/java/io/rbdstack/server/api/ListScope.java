package io.rbdstack.server.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whose rows a list command shows: one account's, one domain's (with or without the domains below it), or
 * everyone's. Made by {@link OwnerParams#scope}, turned into SQL conditions by {@link #where}.
 */
public record ListScope(Optional<Long> accountId, Optional<Long> domainId, Optional<String> domainSubtree) {

    /** Everything (a root admin asking for all). */
    public static ListScope everything() {
        return new ListScope(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static ListScope account(long accountId) {
        return new ListScope(Optional.of(accountId), Optional.empty(), Optional.empty());
    }

    /** The domain's rows; with {@code recursive} also those of every domain below it. */
    public static ListScope domain(long domainId, String path, boolean recursive) {
        if (recursive) {
            return path.equals("/") ? everything() : new ListScope(Optional.empty(), Optional.empty(), Optional.of(path));
        }
        return new ListScope(Optional.empty(), Optional.of(domainId), Optional.empty());
    }

    /** SQL conditions, each starting with " AND", and their arguments in order. */
    public record Sql(String text, List<Object> args) {

        /** {@code args} of this condition followed by {@code more}. */
        public Object[] argsThen(Object... more) {
            List<Object> all = new ArrayList<>(args);
            all.addAll(java.util.Arrays.asList(more));
            return all.toArray();
        }
    }

    /**
     * The conditions over the columns holding a row's account and domain id; only the ones this scope needs,
     * so each list query stays a plain indexed one. A subtree is the live domains under its path: a removed
     * domain keeps its path, which a new domain may take again, and what the old one held is not the new
     * one's.
     */
    public Sql where(String accountColumn, String domainIdColumn) {
        StringBuilder text = new StringBuilder();
        List<Object> args = new ArrayList<>();
        accountId.ifPresent(id -> {
            text.append(" AND ").append(accountColumn).append(" = ?");
            args.add(id);
        });
        domainId.ifPresent(id -> {
            text.append(" AND ").append(domainIdColumn).append(" = ?");
            args.add(id);
        });
        domainSubtree.ifPresent(path -> {
            text.append(" AND ").append(domainIdColumn)
                    .append(" IN (SELECT sub.id FROM domain sub WHERE sub.path LIKE ? AND sub.removed IS NULL)");
            args.add(likePrefix(path));
        });
        return new Sql(text.toString(), List.copyOf(args));
    }

    /** {@code path%} with LIKE's wildcards in the path escaped (domain names may hold them). */
    public static String likePrefix(String path) {
        return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
