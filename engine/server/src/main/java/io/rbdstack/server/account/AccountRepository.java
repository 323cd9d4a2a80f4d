package io.rbdstack.server.account;

import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.Conditions;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accounts ({@code account} rows) with their domain, for the account commands. */
public final class AccountRepository {

    /** CloudStack's account states. */
    public static final String ENABLED = "enabled";
    public static final String DISABLED = "disabled";
    public static final String LOCKED = "locked";

    /** A live account row with its domain resolved. */
    public record AccountRow(long id, String uuid, String name, int type, String state, long domainId,
                             String domainUuid, String domainName, String domainPath, String networkDomain,
                             boolean isDefault, Instant created) {
    }

    /** listAccounts filters; {@code scope} says whose accounts. */
    public record Filter(ListScope scope, Optional<String> uuid, Optional<String> name, Optional<Integer> type,
                         Optional<String> state, Optional<String> keyword) {

        ListScope.Sql where() {
            return new Conditions().and(scope.where("a.id", "a.domain_id"))
                    .and(" AND a.uuid = ?", uuid).and(" AND a.account_name = ?", name).and(" AND a.type = ?", type)
                    .and(" AND a.state = ?", state).like(" AND a.account_name LIKE ?", keyword).sql();
        }
    }

    private static final String FROM = " FROM account a JOIN domain d ON d.id = a.domain_id WHERE a.removed IS NULL";
    /** The first account ever made is the root admin's, created at the first start: CloudStack's default account. */
    private static final String SELECT = "SELECT a.id, a.uuid, a.account_name, a.type, a.state, a.domain_id,"
            + " d.uuid AS domain_uuid, d.name AS domain_name, d.path, a.network_domain, a.created,"
            + " a.id = (SELECT MIN(f.id) FROM account f) AS is_default" + FROM;

    private final Jdbc jdbc;

    public AccountRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<AccountRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND a.uuid = ?", AccountRepository::row, uuid);
    }

    public Optional<AccountRow> findById(long id) {
        return jdbc.queryOne(SELECT + " AND a.id = ?", AccountRepository::row, id);
    }

    public List<AccountRow> list(Filter filter, String limit) {
        ListScope.Sql where = filter.where();
        return jdbc.query(SELECT + where.text() + " ORDER BY a.id" + limit, AccountRepository::row,
                where.args().toArray());
    }

    public long count(Filter filter) {
        ListScope.Sql where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*)" + FROM + where.text(), where.args().toArray());
    }

    /** The live accounts of the domain at {@code path} and of every domain below it. */
    public List<AccountRow> inSubtree(String path) {
        ListScope.Sql where = ListScope.domain(0, path, true).where("a.id", "a.domain_id");
        return jdbc.query(SELECT + where.text() + " ORDER BY a.id", AccountRepository::row, where.args().toArray());
    }

    public boolean nameTaken(long domainId, String name) {
        return jdbc.queryLong("SELECT COUNT(*) FROM account WHERE domain_id = ? AND account_name = ?"
                + " AND removed IS NULL", domainId, name) > 0;
    }

    /** Applies the whole update in one statement. */
    public void update(long id, Optional<String> name, Optional<String> networkDomain) {
        new ColumnUpdates().set("account_name", name).set("network_domain", networkDomain).apply(jdbc, "account", id);
    }

    public void state(long id, String state) {
        jdbc.update("UPDATE account SET state = ? WHERE id = ? AND removed IS NULL", state, id);
    }

    /**
     * Removes the account and its users in one transaction: their API keys stop working (end their sessions too),
     * the account's tags and limits go; the rows stay (removed) for the volumes, snapshots and jobs that name them.
     */
    public void remove(long id) {
        jdbc.transaction(() -> {
            Instant now = Instant.now();
            jdbc.update("UPDATE user SET removed = COALESCE(removed, ?), state = 'disabled', api_key = NULL,"
                    + " secret_key = NULL WHERE account_id = ?", now, id);
            jdbc.update("DELETE FROM resource_tags WHERE account_id = ?", id);
            jdbc.update("DELETE FROM resource_limit WHERE account_id = ?", id);
            jdbc.update("UPDATE account SET removed = ?, state = ? WHERE id = ?", now, DISABLED, id);
        });
    }

    private static AccountRow row(ResultSet rs) throws SQLException {
        return new AccountRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("account_name"), rs.getInt("type"),
                rs.getString("state"), rs.getLong("domain_id"), rs.getString("domain_uuid"), rs.getString("domain_name"),
                rs.getString("path"), rs.getString("network_domain"), rs.getBoolean("is_default"),
                Jdbc.instant(rs, "created"));
    }
}
