package io.rbdstack.server.tag;

import io.rbdstack.server.account.DomainPaths;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.db.Conditions;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Resource tags ({@code resource_tags} rows): key/value pairs on volumes, snapshots and storage pools,
 * owned by the account that owns the resource. Tags of deleted resources are not listed.
 */
public final class TagRepository {

    /** A tag to create on a resource, with the account and domain it belongs to. */
    public record NewTag(TaggedType type, long resourceId, String resourceUuid, String key, String value,
                         long accountId, long domainId, String customer) {
    }

    /** listTags filters; {@code scope} says whose tags. */
    public record Filter(ListScope scope, Optional<TaggedType> type, Optional<String> resourceUuid,
                         Optional<String> key, Optional<String> value, Optional<String> customer,
                         Optional<String> keyword) {

        ListScope.Sql where() {
            return new Conditions().and(LIVE).and(scope.where("t.account_id", "t.domain_id"))
                    .and(" AND t.resource_type = ?", type.map(Enum::name))
                    .and(" AND t.resource_uuid = ?", resourceUuid).and(" AND t.tag_key = ?", key)
                    .and(" AND t.value = ?", value).and(" AND t.customer = ?", customer)
                    .like(" AND (t.tag_key LIKE ? OR t.value LIKE ?)", keyword).sql();
        }
    }

    private static final String FROM = " FROM resource_tags t JOIN account a ON a.id = t.account_id"
            + " JOIN domain d ON d.id = t.domain_id";
    private static final String SELECT = "SELECT t.resource_id, t.tag_key, t.value, t.resource_type, t.resource_uuid,"
            + " t.customer, a.account_name, d.uuid AS domain_uuid, d.path" + FROM;
    /** Only tags of resources that still exist. */
    private static final String LIVE = " WHERE (" + String.join(" OR ", java.util.Arrays.stream(TaggedType.values())
            .map(t -> "(t.resource_type = '" + t.name() + "' AND EXISTS (SELECT 1 FROM " + t.table() + " x WHERE x.id ="
                    + " t.resource_id AND " + t.liveRow() + "))").toList()) + ")";

    private final Jdbc jdbc;

    public TagRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the resource exists and is not deleted. */
    public boolean live(TaggedType type, long resourceId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM " + type.table() + " x WHERE x.id = ? AND " + type.liveRow(),
                resourceId) > 0;
    }

    public long domainOf(long accountId) {
        return jdbc.queryLong("SELECT domain_id FROM account WHERE id = ?", accountId);
    }

    /** Whether the resource already has a tag with this key. */
    public boolean hasKey(TaggedType type, long resourceId, String key) {
        return jdbc.queryLong("SELECT COUNT(*) FROM resource_tags WHERE resource_type = ? AND resource_id = ?"
                + " AND tag_key = ?", type.name(), resourceId, key) > 0;
    }

    /** Creates all the tags or none: 431 when a resource already has a tag with one of the keys. */
    public void create(List<NewTag> tags) {
        jdbc.transaction(() -> {
            Instant now = Instant.now();
            for (NewTag tag : tags) {
                if (hasKey(tag.type(), tag.resourceId(), tag.key())) {
                    throw ApiException.invalidParameter("A tag with key " + tag.key() + " already exists on "
                            + tag.type().name() + " " + tag.resourceUuid() + " (parameter tags)");
                }
                jdbc.insert("INSERT INTO resource_tags (uuid, tag_key, value, resource_id, resource_uuid, resource_type,"
                                + " account_id, domain_id, customer, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        UUID.randomUUID().toString(), tag.key(), tag.value(), tag.resourceId(), tag.resourceUuid(),
                        tag.type().name(), tag.accountId(), tag.domainId(), tag.customer(), now);
            }
        });
    }

    /**
     * Makes {@code tags} the resource's only tags (createSnapshotPolicy's tags): its others are deleted, in
     * one transaction with the new ones' creation.
     */
    public void replace(TaggedType type, long resourceId, String resourceUuid, long accountId, Map<String, String> tags) {
        long domainId = domainOf(accountId);
        jdbc.transaction(() -> {
            delete(type, List.of(resourceId), List.of());
            create(tags.entrySet().stream().map(tag -> new NewTag(type, resourceId, resourceUuid, tag.getKey(),
                    tag.getValue(), accountId, domainId, null)).toList());
        });
    }

    /**
     * Deletes the resources' tags that match one of {@code matches}; every tag of the resources when there
     * is none. Returns how many went.
     */
    public int delete(TaggedType type, List<Long> resourceIds, List<TagMatch> matches) {
        String in = "(" + String.join(", ", Collections.nCopies(resourceIds.size(), "?")) + ")";
        List<Object> args = new ArrayList<>();
        args.add(type.name());
        args.addAll(resourceIds);
        StringBuilder sql = new StringBuilder("DELETE FROM resource_tags WHERE resource_type = ? AND resource_id IN ")
                .append(in);
        if (!matches.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            for (TagMatch match : matches) {
                args.add(match.key());
                if (match.value().isPresent()) {
                    pairs.add("(tag_key = ? AND value = ?)");
                    args.add(match.value().get());
                } else {
                    pairs.add("tag_key = ?");
                }
            }
            sql.append(" AND (").append(String.join(" OR ", pairs)).append(')');
        }
        return jdbc.update(sql.toString(), args.toArray());
    }

    public List<TagView> list(Filter filter, String limit) {
        ListScope.Sql where = filter.where();
        return jdbc.query(SELECT + where.text() + " ORDER BY t.id" + limit, TagRepository::view, where.args().toArray());
    }

    public long count(Filter filter) {
        ListScope.Sql where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*)" + FROM + where.text(), where.args().toArray());
    }

    /** The tags of several resources of one type, by resource id, in one query (a list page's). */
    public Map<Long, List<TagView>> of(TaggedType type, Collection<Long> resourceIds) {
        Map<Long, List<TagView>> tags = new HashMap<>();
        if (resourceIds.isEmpty()) {
            return tags;
        }
        record Tagged(long resourceId, TagView tag) {
        }
        jdbc.query(SELECT + " WHERE t.resource_type = ? AND t.resource_id IN ("
                        + String.join(", ", Collections.nCopies(resourceIds.size(), "?")) + ") ORDER BY t.id",
                rs -> new Tagged(rs.getLong("resource_id"), view(rs)), args(type, resourceIds))
                .forEach(t -> tags.computeIfAbsent(t.resourceId(), id -> new ArrayList<>()).add(t.tag()));
        return tags;
    }

    private static Object[] args(TaggedType type, Collection<Long> ids) {
        List<Object> args = new ArrayList<>();
        args.add(type.name());
        args.addAll(ids);
        return args.toArray();
    }

    private static TagView view(ResultSet rs) throws SQLException {
        String path = rs.getString("path");
        return new TagView(rs.getString("tag_key"), rs.getString("value"), rs.getString("resource_type"),
                rs.getString("resource_uuid"), rs.getString("account_name"), rs.getString("domain_uuid"),
                DomainPaths.name(path), DomainPaths.display(path), rs.getString("customer"));
    }
}
