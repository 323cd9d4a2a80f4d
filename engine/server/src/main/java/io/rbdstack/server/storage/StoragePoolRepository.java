package io.rbdstack.server.storage;

import io.rbdstack.server.db.FilterArgs;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.tag.TagFilter;
import io.rbdstack.server.tag.TagMatch;
import io.rbdstack.server.tag.TaggedType;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.storage.PoolDefinition;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StoredPool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Primary storage pools. The secret lives in {@code storage_pool_details} as AES-GCM ciphertext and
 * is decrypted only to build a {@link StoredPool} for the provider.
 */
public final class StoragePoolRepository {

    static final String SECRET_DETAIL = "secret";
    /** The state of a pool its hosts cannot use (as a host whose agent is overdue). */
    public static final String ALERT = "Alert";

    /** A pool row with what listing needs, ids resolved to uuids and names. */
    public record PoolRow(long id, String uuid, String name, String type, String scope, String zoneUuid,
                          String zoneName, String podUuid, String podName, String clusterUuid, String clusterName,
                          String hostAddress, String path, String user, String status, Long capacityBytes,
                          Long usedBytes, Long capacityIops, String hypervisor, String provider, Instant created,
                          Long capacityLimit, String statusReason) {

        public PoolRow(long id, String uuid, String name, String type, String scope, String zoneUuid, String zoneName,
                       String podUuid, String podName, String clusterUuid, String clusterName, String hostAddress,
                       String path, String user, String status, Long capacityBytes, Long usedBytes, Long capacityIops,
                       String hypervisor, String provider, Instant created, Long capacityLimit) {
            this(id, uuid, name, type, scope, zoneUuid, zoneName, podUuid, podName, clusterUuid, clusterName,
                    hostAddress, path, user, status, capacityBytes, usedBytes, capacityIops, hypervisor, provider,
                    created, capacityLimit, null);
        }

        /** What may be provisioned at most before over-provisioning: the storage's total, capped by capacitybytes. */
        public Long totalBytes() {
            if (capacityBytes != null && capacityLimit != null) {
                return Math.min(capacityBytes, capacityLimit);
            }
            return capacityBytes != null ? capacityBytes : capacityLimit;
        }
    }

    /** What createStoragePool stores. */
    public record NewPool(String name, String type, String provider, PoolScope scope, long zoneId, Long podId,
                          Long clusterId, String hypervisor, PoolDefinition definition, Long capacityLimit,
                          Long capacityIops, List<String> tags) {
    }

    private static final String SELECT = "SELECT s.id, s.uuid, s.name, s.pool_type, s.scope, z.uuid AS zone_uuid,"
            + " z.name AS zone_name, p.uuid AS pod_uuid, p.name AS pod_name, c.uuid AS cluster_uuid, c.name AS cluster_name,"
            + " s.host_address, s.path, s.user_info, s.status, s.status_reason, s.capacity_bytes, s.used_bytes, s.capacity_iops,"
            + " s.hypervisor, s.storage_provider_name, s.created,"
            + " (SELECT d.value FROM storage_pool_details d WHERE d.pool_id = s.id AND d.name = 'capacitybytes') AS capacity_limit"
            + " FROM storage_pool s JOIN data_center z ON z.id = s.data_center_id"
            + " LEFT JOIN host_pod_ref p ON p.id = s.pod_id LEFT JOIN cluster c ON c.id = s.cluster_id"
            + " WHERE s.removed IS NULL";

    private final Jdbc jdbc;
    private final SecretCipher cipher;

    public StoragePoolRepository(Jdbc jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** Inserts the pool, its encrypted secret, capacity limit and tags in one transaction; returns its uuid. */
    public String create(NewPool pool) throws Exception {
        String uuid = UUID.randomUUID().toString();
        jdbc.inTransaction(() -> {
            // A zone being deleted holds its row lock until it is removed: the pool waits, then sees that.
            if (jdbc.query("SELECT id FROM data_center WHERE id = ? AND removed IS NULL LOCK IN SHARE MODE",
                    rs -> rs.getLong(1), pool.zoneId()).isEmpty()) {
                throw io.rbdstack.server.api.ApiException.invalidParameter("The zone was deleted meanwhile (parameter zoneid)");
            }
            Instant now = Instant.now();
            long id = jdbc.insert("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, pod_id,"
                            + " cluster_id, hypervisor, storage_provider_name, host_address, path, user_info, status,"
                            + " capacity_iops, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Up', ?, ?)", uuid,
                    pool.name(), pool.type(), pool.scope().scopeName(), pool.zoneId(), pool.podId(), pool.clusterId(),
                    pool.hypervisor(), pool.provider(), pool.definition().hostAddress(), pool.definition().path(),
                    pool.definition().user(), pool.capacityIops(), now);
            if (pool.definition().secret() != null) {
                jdbc.insert("INSERT INTO storage_pool_details (pool_id, name, value, encrypted, display) VALUES (?, ?, ?, 1, 0)",
                        id, SECRET_DETAIL, cipher.encrypt(pool.definition().secret().reveal()));
            }
            if (pool.capacityLimit() != null) {
                setDetail(id, "capacitybytes", String.valueOf(pool.capacityLimit()));
            }
            replaceTags(id, pool.tags());
            return null;
        });
        return uuid;
    }

    public boolean nameTaken(long zoneId, String name) {
        return jdbc.queryLong("SELECT COUNT(*) FROM storage_pool WHERE data_center_id = ? AND name = ? AND removed IS NULL",
                zoneId, name) > 0;
    }

    public Optional<PoolRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND s.uuid = ?", StoragePoolRepository::row, uuid);
    }

    public Optional<PoolRow> findById(long id) {
        return jdbc.queryOne(SELECT + " AND s.id = ?", StoragePoolRepository::row, id);
    }

    /** The zone's Up pools (either scope), oldest first. */
    public List<PoolRow> upPoolsOfZone(long zoneId) {
        return jdbc.query(SELECT + " AND s.data_center_id = ? AND s.status = 'Up' ORDER BY s.id",
                StoragePoolRepository::row, zoneId);
    }

    /**
     * Locks the zone's pool rows until the caller's transaction ends, so that checking a pool's room
     * and allocating from it do not interleave with another allocation in the zone (on any
     * management server). Call inside {@link Jdbc#inTransaction} before reading capacities.
     */
    /**
     * Takes the pool out of placement for its removal: Removing if it holds no volumes. The pool's
     * row lock serialises this with volume placement (which locks the zone's pools), so a volume
     * cannot land on the pool between the count and the removal. Returns the volume count.
     */
    public long claimForRemoval(long poolId) throws Exception {
        return jdbc.inTransaction(() -> {
            jdbc.query("SELECT id FROM storage_pool WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), poolId);
            long volumes = volumeCount(poolId);
            if (volumes == 0) {
                status(poolId, "Removing");
            }
            return volumes;
        });
    }

    public void lockPoolsOfZone(long zoneId) {
        jdbc.query("SELECT id FROM storage_pool WHERE data_center_id = ? AND removed IS NULL ORDER BY id FOR UPDATE",
                rs -> rs.getLong(1), zoneId);
    }

    public List<PoolRow> list(PoolFilter f, String limit) {
        return jdbc.query(SELECT + f.sql() + " ORDER BY s.id" + limit, StoragePoolRepository::row, f.args());
    }

    public long count(PoolFilter f) {
        return jdbc.queryLong("SELECT COUNT(*) FROM storage_pool s JOIN data_center z ON z.id = s.data_center_id"
                + " LEFT JOIN cluster c ON c.id = s.cluster_id WHERE s.removed IS NULL" + f.sql(), f.args());
    }

    private static final String FILTER = " AND (? IS NULL OR s.uuid = ?) AND (? IS NULL OR z.uuid = ?)"
            + " AND (? IS NULL OR c.uuid = ?) AND (? IS NULL OR s.name = ?) AND (? IS NULL OR s.name LIKE ?)";

    /** listStoragePools filters; {@code tags}: resource tags, any of which a listed pool carries. */
    public record PoolFilter(Optional<String> uuid, Optional<String> zoneUuid, Optional<String> clusterUuid,
                             Optional<String> name, Optional<String> keyword, List<TagMatch> tags) {

        public PoolFilter(Optional<String> uuid, Optional<String> zoneUuid, Optional<String> clusterUuid,
                          Optional<String> name, Optional<String> keyword) {
            this(uuid, zoneUuid, clusterUuid, name, keyword, List.of());
        }

        String sql() {
            return FILTER + TagFilter.where(TaggedType.StoragePool, "s.id", tags).text();
        }

        Object[] args() {
            List<Object> args = new ArrayList<>(java.util.Arrays.asList(FilterArgs.of(uuid, zoneUuid, clusterUuid, name,
                    FilterArgs.like(keyword))));
            args.addAll(TagFilter.where(TaggedType.StoragePool, "s.id", tags).args());
            return args.toArray();
        }
    }

    /** The pool as its provider needs it, secret decrypted. */
    public StoredPool stored(PoolRow row) {
        Secret secret = jdbc.queryOne("SELECT value FROM storage_pool_details WHERE pool_id = ? AND name = ?",
                rs -> Secret.of(cipher.decrypt(rs.getString(1))), row.id(), SECRET_DETAIL).orElse(null);
        return stored(row, secret);
    }

    /**
     * The pool as {@link #stored} gives it but without its secret (null), which is neither read nor decrypted: for
     * a provider's questions that need no access to the storage, e.g. {@code StorageProvider.longestTransfer}.
     */
    public StoredPool storedWithoutSecret(PoolRow row) {
        return stored(row, null);
    }

    private static StoredPool stored(PoolRow row, Secret secret) {
        PoolScope scope = row.clusterUuid() == null ? PoolScope.zone(row.zoneUuid())
                : PoolScope.cluster(row.zoneUuid(), row.clusterUuid());
        return new StoredPool(row.uuid(), row.name(), scope, new PoolDefinition(row.hostAddress(), row.path(),
                row.user(), secret, ""));
    }

    public List<String> tags(long poolId) {
        return jdbc.query("SELECT tag FROM storage_pool_tags WHERE pool_id = ? ORDER BY tag", rs -> rs.getString(1), poolId);
    }

    /** What updateStoragePool changes; an absent field is left as it is. */
    public record PoolUpdate(Optional<String> name, Optional<List<String>> tags, Optional<Long> capacityBytes) {
    }

    /** Applies the whole update or, if any statement fails, none of it. */
    public void update(long poolId, PoolUpdate update) {
        jdbc.transaction(() -> {
            update.name().ifPresent(name -> jdbc.update("UPDATE storage_pool SET name = ?, updated = ? WHERE id = ?",
                    name, Instant.now(), poolId));
            update.tags().ifPresent(tags -> replaceTags(poolId, tags));
            update.capacityBytes().ifPresent(limit -> setDetail(poolId, "capacitybytes", String.valueOf(limit)));
        });
    }

    private void replaceTags(long poolId, List<String> tags) {
        jdbc.update("DELETE FROM storage_pool_tags WHERE pool_id = ?", poolId);
        for (String tag : tags) {
            jdbc.insert("INSERT INTO storage_pool_tags (pool_id, tag) VALUES (?, ?)", poolId, tag);
        }
    }

    private void setDetail(long poolId, String name, String value) {
        jdbc.update("INSERT INTO storage_pool_details (pool_id, name, value, encrypted, display) VALUES (?, ?, ?, 0, 1)"
                + " ON DUPLICATE KEY UPDATE value = VALUES(value)", poolId, name, value);
    }

    /** The zone's pools its hosts cannot use (Alert), oldest first. */
    /**
     * The zone's Up pools that take no new volumes because their zone, pod or cluster is Disabled (as
     * CloudStack's allocators skip disabled ones), by pool id, each with where: "in Disabled cluster c1".
     */
    public Map<Long, String> inDisabledScopes(long zoneId) {
        Map<Long, String> found = new HashMap<>();
        jdbc.query("SELECT s.id, CASE WHEN z.allocation_state = 'Disabled' THEN CONCAT('zone ', z.name)"
                + " WHEN p.allocation_state = 'Disabled' THEN CONCAT('pod ', p.name) ELSE CONCAT('cluster ', c.name) END"
                + " FROM storage_pool s JOIN data_center z ON z.id = s.data_center_id"
                + " LEFT JOIN host_pod_ref p ON p.id = s.pod_id LEFT JOIN cluster c ON c.id = s.cluster_id"
                + " WHERE s.data_center_id = ? AND s.removed IS NULL AND s.status = 'Up' AND (z.allocation_state ="
                + " 'Disabled' OR p.allocation_state = 'Disabled' OR c.allocation_state = 'Disabled')",
                rs -> found.put(rs.getLong(1), "in Disabled " + rs.getString(2)), zoneId);
        return found;
    }

    public List<PoolRow> alertPoolsOfZone(long zoneId) {
        return jdbc.query(SELECT + " AND s.data_center_id = ? AND s.status = '" + ALERT + "' ORDER BY s.id",
                StoragePoolRepository::row, zoneId);
    }

    /**
     * Takes an Up pool out of placement because its hosts cannot use it (key refused, monitors gone, full),
     * or updates the reason of one already out; false when the pool is neither (in maintenance, being removed).
     */
    public boolean markUnusable(long poolId, String reason) {
        String cut = reason.length() > 1024 ? reason.substring(0, 1023) + "…" : reason;
        int changed = jdbc.update("UPDATE storage_pool SET status = '" + ALERT + "', status_reason = ?, updated = ?"
                + " WHERE id = ? AND status IN ('Up', '" + ALERT + "')", cut, Instant.now(), poolId);
        return changed == 1;
    }

    /** Puts a pool its hosts could not use back into placement; true when it was out. */
    public boolean markUsable(long poolId) {
        return jdbc.update("UPDATE storage_pool SET status = 'Up', status_reason = NULL, updated = ? WHERE id = ?"
                + " AND status = '" + ALERT + "'", Instant.now(), poolId) == 1;
    }

    public void status(long poolId, String status) {
        jdbc.update("UPDATE storage_pool SET status = ?, updated = ? WHERE id = ?", status, Instant.now(), poolId);
    }

    public void capacity(long poolId, long totalBytes, long usedBytes) {
        jdbc.update("UPDATE storage_pool SET capacity_bytes = ?, used_bytes = ?, capacity_updated = ? WHERE id = ?",
                totalBytes, usedBytes, Instant.now(), poolId);
    }

    /** Sum of the provisioned sizes of the pool's volumes. */
    public long allocatedBytes(long poolId) {
        return jdbc.queryLong("SELECT COALESCE(SUM(size), 0) FROM volumes WHERE pool_id = ? AND removed IS NULL", poolId);
    }

    /** {@link #allocatedBytes} of several pools in one query; pools without volumes are absent. */
    public Map<Long, Long> allocatedBytes(Collection<Long> poolIds) {
        Map<Long, Long> allocated = new HashMap<>();
        if (!poolIds.isEmpty()) {
            jdbc.query("SELECT pool_id, COALESCE(SUM(size), 0) FROM volumes WHERE pool_id IN (" + placeholders(poolIds)
                    + ") AND removed IS NULL GROUP BY pool_id", rs -> Map.entry(rs.getLong(1), rs.getLong(2)),
                    poolIds.toArray()).forEach(e -> allocated.put(e.getKey(), e.getValue()));
        }
        return allocated;
    }

    /** {@link #tags} of several pools in one query; pools without tags are absent. */
    public Map<Long, List<String>> tags(Collection<Long> poolIds) {
        Map<Long, List<String>> tags = new HashMap<>();
        if (!poolIds.isEmpty()) {
            jdbc.query("SELECT pool_id, tag FROM storage_pool_tags WHERE pool_id IN (" + placeholders(poolIds)
                    + ") ORDER BY pool_id, tag", rs -> Map.entry(rs.getLong(1), rs.getString(2)), poolIds.toArray())
                    .forEach(e -> tags.computeIfAbsent(e.getKey(), id -> new ArrayList<>()).add(e.getValue()));
        }
        return tags;
    }

    private static String placeholders(Collection<?> values) {
        return String.join(", ", java.util.Collections.nCopies(values.size(), "?"));
    }

    public long volumeCount(long poolId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM volumes WHERE pool_id = ? AND removed IS NULL", poolId);
    }

    public void hostAttached(long poolId, String hostUuid) {
        jdbc.update("INSERT INTO storage_pool_host_ref (pool_id, host_id, created, last_updated)"
                + " SELECT ?, id, ?, ? FROM host WHERE uuid = ? ON DUPLICATE KEY UPDATE last_updated = VALUES(last_updated)",
                poolId, Instant.now(), Instant.now(), hostUuid);
    }

    public void hostDetached(long poolId, String hostUuid) {
        jdbc.update("DELETE FROM storage_pool_host_ref WHERE pool_id = ? AND host_id = (SELECT id FROM host WHERE uuid = ?)",
                poolId, hostUuid);
    }

    public List<String> attachedHosts(long poolId) {
        return jdbc.query("SELECT h.uuid FROM storage_pool_host_ref r JOIN host h ON h.id = r.host_id WHERE r.pool_id = ?",
                rs -> rs.getString(1), poolId);
    }

    /** Pools a host should have: those of its zone (zone scope) and of its cluster. */
    public List<PoolRow> poolsForHost(String zoneUuid, String clusterUuid) {
        return jdbc.query(SELECT + " AND z.uuid = ? AND (s.cluster_id IS NULL OR c.uuid = ?) ORDER BY s.id",
                StoragePoolRepository::row, zoneUuid, clusterUuid);
    }

    public void remove(long poolId) throws Exception {
        jdbc.inTransaction(() -> {
            jdbc.update("DELETE FROM storage_pool_host_ref WHERE pool_id = ?", poolId);
            jdbc.update("DELETE FROM storage_pool_details WHERE pool_id = ?", poolId);
            jdbc.update("UPDATE storage_pool SET status = 'Removed', removed = ? WHERE id = ?", Instant.now(), poolId);
            return null;
        });
    }

    private static PoolRow row(java.sql.ResultSet rs) throws java.sql.SQLException {
        String limit = rs.getString("capacity_limit");
        return new PoolRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"), rs.getString("pool_type"),
                rs.getString("scope"), rs.getString("zone_uuid"), rs.getString("zone_name"), rs.getString("pod_uuid"),
                rs.getString("pod_name"), rs.getString("cluster_uuid"), rs.getString("cluster_name"),
                rs.getString("host_address"), rs.getString("path"), rs.getString("user_info"), rs.getString("status"),
                rs.getObject("capacity_bytes", Long.class), rs.getObject("used_bytes", Long.class),
                rs.getObject("capacity_iops", Long.class), rs.getString("hypervisor"),
                rs.getString("storage_provider_name"), Jdbc.instant(rs, "created"),
                limit == null ? null : Long.valueOf(limit), rs.getString("status_reason"));
    }
}
