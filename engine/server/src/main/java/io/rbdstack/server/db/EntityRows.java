package io.rbdstack.server.db;

import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.EntityLookup;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link EntityLookup} over the schema: one indexed query by uuid, removed rows included, with the owning
 * account and the path of the domain the row lives in (the owner's domain; a domain's own path).
 */
public final class EntityRows implements EntityLookup {

    private final Jdbc jdbc;
    private final Map<Entity, String> queries = new EnumMap<>(Entity.class);

    public EntityRows(Jdbc jdbc) {
        this.jdbc = jdbc;
        for (Entity entity : Entity.values()) {
            if (entity != Entity.NONE) {
                // Table and column names come from the enum, never from a request.
                String owner = entity.ownerColumn() == null ? "NULL" : "t." + entity.ownerColumn();
                // No path, so no domain admin's reach: a removed domain's (a new domain may hold that path by
                // now) and a root admin's account's (root admins stand above the domain tree).
                String path = entity == Entity.DOMAIN ? "IF(t.removed IS NULL, t.path, NULL)"
                        : entity.ownerColumn() == null ? "NULL" : "(SELECT d.path FROM account a JOIN domain d"
                        + " ON d.id = a.domain_id WHERE a.id = " + owner + " AND d.removed IS NULL AND a.type <> 1)";
                queries.put(entity, "SELECT t.id, " + owner + " AS owner, " + path + " AS domain_path FROM "
                        + entity.table() + " t WHERE t.uuid = ?");
            }
        }
    }

    @Override
    public Optional<Found> find(Entity entity, String uuid) {
        return jdbc.queryOne(queries.get(entity), rs -> {
            long owner = rs.getLong("owner");
            return new Found(rs.getLong("id"), rs.wasNull() ? null : owner, rs.getString("domain_path"));
        }, uuid);
    }
}
