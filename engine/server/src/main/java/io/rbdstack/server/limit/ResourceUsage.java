package io.rbdstack.server.limit;

import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.db.Jdbc;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * What an account or a domain subtree uses, counted from the rows themselves, so the count never drifts
 * from what exists: live volumes and snapshots (those still being made included), the sizes of live
 * volumes, and the backup files on image stores plus the snapshot sizes of backups still running.
 */
public final class ResourceUsage {

    private final Jdbc jdbc;

    public ResourceUsage(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public long ofAccount(ResourceType type, long accountId) {
        return switch (type) {
            case volume -> jdbc.queryLong("SELECT COUNT(*) FROM volumes WHERE account_id = ? AND removed IS NULL",
                    accountId);
            case snapshot -> jdbc.queryLong("SELECT COUNT(*) FROM snapshots WHERE account_id = ? AND removed IS NULL",
                    accountId);
            case primary_storage -> jdbc.queryLong("SELECT COALESCE(SUM(size), 0) FROM volumes WHERE account_id = ?"
                    + " AND removed IS NULL", accountId);
            case secondary_storage -> jdbc.queryLong("SELECT COALESCE(SUM(r.physical_size), 0) FROM snapshot_store_ref r"
                    + " JOIN snapshots s ON s.id = r.snapshot_id WHERE s.account_id = ? AND r.store_role = 'Image'"
                    + " AND r.state = 'Ready'", accountId)
                    + jdbc.queryLong("SELECT COALESCE(SUM(size), 0) FROM snapshots WHERE account_id = ?"
                    + " AND status = 'BackingUp'", accountId);
        };
    }

    /** {@link #ofAccount} of several accounts at once (a listAccounts page); accounts using nothing are absent. */
    public Map<Long, Long> ofAccounts(ResourceType type, Collection<Long> accountIds) {
        Map<Long, Long> used = new HashMap<>();
        if (accountIds.isEmpty()) {
            return used;
        }
        String in = "(" + String.join(", ", Collections.nCopies(accountIds.size(), "?")) + ")";
        Object[] ids = accountIds.toArray();
        switch (type) {
            case volume -> add(used, "SELECT account_id, COUNT(*) FROM volumes WHERE account_id IN " + in
                    + " AND removed IS NULL GROUP BY account_id", ids);
            case snapshot -> add(used, "SELECT account_id, COUNT(*) FROM snapshots WHERE account_id IN " + in
                    + " AND removed IS NULL GROUP BY account_id", ids);
            case primary_storage -> add(used, "SELECT account_id, COALESCE(SUM(size), 0) FROM volumes"
                    + " WHERE account_id IN " + in + " AND removed IS NULL GROUP BY account_id", ids);
            case secondary_storage -> {
                add(used, "SELECT s.account_id, COALESCE(SUM(r.physical_size), 0) FROM snapshot_store_ref r"
                        + " JOIN snapshots s ON s.id = r.snapshot_id WHERE s.account_id IN " + in
                        + " AND r.store_role = 'Image' AND r.state = 'Ready' GROUP BY s.account_id", ids);
                add(used, "SELECT account_id, COALESCE(SUM(size), 0) FROM snapshots WHERE account_id IN " + in
                        + " AND status = 'BackingUp' GROUP BY account_id", ids);
            }
        }
        return used;
    }

    private void add(Map<Long, Long> used, String sql, Object[] args) {
        jdbc.query(sql, rs -> Map.entry(rs.getLong(1), rs.getLong(2)), args)
                .forEach(e -> used.merge(e.getKey(), e.getValue(), Long::sum));
    }

    /** Usage of every account of the domain at {@code path} and of the domains below it. */
    public long ofDomain(ResourceType type, String path) {
        String prefix = ListScope.likePrefix(path);
        return switch (type) {
            case volume -> jdbc.queryLong("SELECT COUNT(*) FROM volumes v JOIN domain d ON d.id = v.domain_id"
                    + " WHERE d.path LIKE ? AND v.removed IS NULL", prefix);
            case snapshot -> jdbc.queryLong("SELECT COUNT(*) FROM snapshots s JOIN domain d ON d.id = s.domain_id"
                    + " WHERE d.path LIKE ? AND s.removed IS NULL", prefix);
            case primary_storage -> jdbc.queryLong("SELECT COALESCE(SUM(v.size), 0) FROM volumes v JOIN domain d"
                    + " ON d.id = v.domain_id WHERE d.path LIKE ? AND v.removed IS NULL", prefix);
            case secondary_storage -> jdbc.queryLong("SELECT COALESCE(SUM(r.physical_size), 0) FROM snapshot_store_ref r"
                    + " JOIN snapshots s ON s.id = r.snapshot_id JOIN domain d ON d.id = s.domain_id WHERE d.path LIKE ?"
                    + " AND r.store_role = 'Image' AND r.state = 'Ready'", prefix)
                    + jdbc.queryLong("SELECT COALESCE(SUM(s.size), 0) FROM snapshots s JOIN domain d"
                    + " ON d.id = s.domain_id WHERE d.path LIKE ? AND s.status = 'BackingUp'", prefix);
        };
    }
}
