package io.rbdstack.server.account;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.db.Conditions;
import io.rbdstack.server.db.Dependents;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Domains: a tree under ROOT, each row holding its path ("/a/b/"), so a subtree is one indexed prefix
 * match. A deleted domain keeps its row (removed) and frees its path for a new domain.
 */
public final class DomainRepository {

    public static final long ROOT_ID = 1;

    /** A live domain with its parent resolved. */
    public record DomainRow(long id, String uuid, String name, String path, Long parentId, String parentUuid,
                            String parentName, String state, String networkDomain, boolean hasChild, Instant created) {
    }

    /** listDomains filters over the domains the caller may see (its own, or its subtree). */
    public record Filter(Optional<String> uuid, Optional<String> name, Optional<Integer> level,
                         Optional<String> keyword, String visiblePath, boolean subtree) {

        ListScope.Sql where() {
            Conditions conditions = subtree ? new Conditions().and(" AND d.path LIKE ?", ListScope.likePrefix(visiblePath))
                    : new Conditions().and(" AND d.path = ?", visiblePath);
            // The level is the number of slashes in the path less one.
            return conditions.and(" AND d.uuid = ?", uuid).and(" AND d.name = ?", name)
                    .like(" AND d.name LIKE ?", keyword)
                    .and(" AND LENGTH(d.path) - LENGTH(REPLACE(d.path, '/', '')) - 1 = ?", level).sql();
        }
    }

    private static final String FROM = " FROM domain d LEFT JOIN domain p ON p.id = d.parent WHERE d.removed IS NULL";
    private static final String SELECT = "SELECT d.id, d.uuid, d.name, d.path, d.parent, p.uuid AS parent_uuid,"
            + " p.name AS parent_name, d.state, d.network_domain, d.created, EXISTS (SELECT 1 FROM domain c"
            + " WHERE c.parent = d.id AND c.removed IS NULL) AS has_child" + FROM;

    private final Jdbc jdbc;

    public DomainRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<DomainRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND d.uuid = ?", DomainRepository::row, uuid);
    }

    public List<DomainRow> list(Filter filter, String limit) {
        ListScope.Sql where = filter.where();
        return jdbc.query(SELECT + where.text() + " ORDER BY d.path" + limit, DomainRepository::row,
                where.args().toArray());
    }

    public long count(Filter filter) {
        ListScope.Sql where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*)" + FROM + where.text(), where.args().toArray());
    }

    /** The live domains at or below {@code path}, deepest first (the order they can be removed in). */
    public List<DomainRow> subtreeDeepestFirst(String path) {
        return jdbc.query(SELECT + " AND d.path LIKE ? ORDER BY LENGTH(d.path) DESC, d.id DESC", DomainRepository::row,
                ListScope.likePrefix(path));
    }

    public boolean pathTaken(String path) {
        return jdbc.queryLong("SELECT COUNT(*) FROM domain WHERE path = ? AND removed IS NULL", path) > 0;
    }

    /** Creates a domain under a live parent (a parent being deleted holds its row lock until it is removed). */
    public String create(DomainRow parent, String name, String networkDomain) {
        String uuid = UUID.randomUUID().toString();
        int created = jdbc.update("INSERT INTO domain (uuid, name, path, parent, state, network_domain, created)"
                        + " SELECT ?, ?, ?, id, 'Active', ?, ? FROM domain WHERE id = ? AND removed IS NULL", uuid, name,
                DomainPaths.child(parent.path(), name), networkDomain, Instant.now(), parent.id());
        if (created == 0) {
            throw ApiException.invalidParameter("The parent domain was deleted meanwhile (parameter parentdomainid)");
        }
        return uuid;
    }

    /**
     * Renames the domain: its path and the paths of every live domain below it change with it, in one
     * transaction. Removed domains keep the paths they had.
     */
    public void rename(DomainRow domain, String name) {
        String parentPath = domain.path().substring(0, domain.path().length() - domain.name().length() - 1);
        String newPath = DomainPaths.child(parentPath, name);
        jdbc.transaction(() -> {
            jdbc.update("UPDATE domain SET name = ? WHERE id = ?", name, domain.id());
            jdbc.update("UPDATE domain SET path = CONCAT(?, SUBSTRING(path, ?)) WHERE path LIKE ? AND removed IS NULL",
                    newPath, domain.path().length() + 1, ListScope.likePrefix(domain.path()));
        });
    }

    public void networkDomain(long id, String networkDomain) {
        jdbc.update("UPDATE domain SET network_domain = ? WHERE id = ?", networkDomain, id);
    }

    /** Marks the domain removed with its limits, or 536 naming its live accounts, child domains and networks. */
    public void delete(DomainRow domain) {
        jdbc.transaction(() -> {
            Dependents.deleteUnlessDepended(jdbc, "domain", domain.id(), "domain", domain.name(), d -> guestNetworks(d
                    .rows("account(s)", "account", "account_name", "domain_id = ?", domain.id())
                    .rows("domain(s)", "domain", "name", "parent = ?", domain.id()), domain.path()));
            jdbc.update("DELETE FROM resource_limit WHERE domain_id = ?", domain.id());
        });
    }

    /** The guest networks serving the domain at {@code path} or one below it: they go first (deleteNetwork). */
    public static Dependents guestNetworks(Dependents d, String path) {
        return d.rows("guest network(s)", "networks", "name",
                "domain_id IN (SELECT id FROM domain WHERE LEFT(path, CHAR_LENGTH(?)) = ?)", path, path);
    }

    private static DomainRow row(ResultSet rs) throws SQLException {
        long parent = rs.getLong("parent");
        return new DomainRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"), rs.getString("path"),
                rs.wasNull() ? null : parent, rs.getString("parent_uuid"), rs.getString("parent_name"),
                rs.getString("state"), rs.getString("network_domain"), rs.getBoolean("has_child"),
                Jdbc.instant(rs, "created"));
    }
}
