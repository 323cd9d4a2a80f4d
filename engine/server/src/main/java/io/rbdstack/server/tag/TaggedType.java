package io.rbdstack.server.tag;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.Entity;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What can carry resource tags here, by CloudStack's resource type names (matched case-insensitively).
 * Tags on storage pools are rbdstack's addition (CloudStack keeps only details on pools); "Storage", the
 * name CloudStack gives pools elsewhere, is taken for them too.
 */
public enum TaggedType {
    Volume(Entity.VOLUME, "volumes", true),
    Snapshot(Entity.SNAPSHOT, "snapshots", true),
    StoragePool(Entity.STORAGE_POOL, "storage_pool", true),
    /** Policy rows are deleted outright (with their tags), so a row that is there is live. */
    SnapshotPolicy(Entity.SNAPSHOT_POLICY, "snapshot_policy", false);

    private final Entity entity;
    private final String table;
    private final boolean softDeleted;

    TaggedType(Entity entity, String table, boolean softDeleted) {
        this.entity = entity;
        this.table = table;
        this.softDeleted = softDeleted;
    }

    /** The condition on a row (alias {@code x}) of its table that it is not deleted. */
    String liveRow() {
        return softDeleted ? "x.removed IS NULL" : "1 = 1";
    }

    public Entity entity() {
        return entity;
    }

    /** The table of the tagged rows (from code, never from a request). */
    String table() {
        return table;
    }

    /** Whether an account owns the tagged resource (else only root admins tag it). */
    boolean owned() {
        return entity.ownerColumn() != null;
    }

    public static TaggedType of(String name, String param) {
        if (name.equalsIgnoreCase("Storage")) {
            return StoragePool;
        }
        return Arrays.stream(values()).filter(t -> t.name().equalsIgnoreCase(name)).findFirst().orElseThrow(() ->
                ApiException.invalidParameter("Invalid resource type " + name + " (parameter " + param + "): tags are"
                        + " kept on " + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "))));
    }
}
