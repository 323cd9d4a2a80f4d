package io.rbdstack.server.imagestore;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.db.FilterArgs;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.spi.storage.StoreCredentials;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Image stores (secondary storage): {@code image_store} rows; an S3 store's secret key is kept encrypted. */
public final class ImageStoreRepository {

    /** {@code credentials}: the store's keys when it has them (S3), else null; never shown by {@link #view()}. */
    public record StoreRow(long id, String uuid, String name, String protocol, String url, String provider,
                           long zoneId, String zoneUuid, String zoneName, Long totalBytes, Long usedBytes,
                           StoreCredentials credentials) {

        public StoreRow(long id, String uuid, String name, String protocol, String url, String provider, long zoneId,
                        String zoneUuid, String zoneName, Long totalBytes, Long usedBytes) {
            this(id, uuid, name, protocol, url, provider, zoneId, zoneUuid, zoneName, totalBytes, usedBytes, null);
        }

        public ImageStoreView view() {
            return new ImageStoreView(uuid, name, url, protocol, provider, "ZONE", zoneUuid, zoneName, false,
                    totalBytes, usedBytes, false);
        }
    }

    public record Filter(Optional<String> uuid, Optional<String> name, Optional<String> zoneUuid,
                         Optional<String> provider, Optional<String> keyword) {
        Object[] args() {
            return FilterArgs.of(uuid, name, zoneUuid, provider, FilterArgs.like(keyword));
        }
    }

    private static final String FROM = " FROM image_store i JOIN data_center z ON z.id = i.data_center_id"
            + " WHERE i.removed IS NULL AND i.role = 'Image'";
    private static final String SELECT = "SELECT i.id, i.uuid, i.name, i.protocol, i.url, i.image_provider_name,"
            + " i.data_center_id, z.uuid AS zone_uuid, z.name AS zone_name, i.total_size, i.used_bytes" + FROM;
    private static final String FILTER = " AND (? IS NULL OR i.uuid = ?) AND (? IS NULL OR i.name = ?)"
            + " AND (? IS NULL OR z.uuid = ?) AND (? IS NULL OR i.image_provider_name = ?)"
            + " AND (? IS NULL OR i.name LIKE ?)";

    private final Jdbc jdbc;
    private final SecretCipher cipher;

    public ImageStoreRepository(Jdbc jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /** {@code credentials}: the store's keys (S3), stored with the secret key encrypted; null for none. */
    public String create(String name, String protocol, String url, StoreCredentials credentials, String provider,
                         long zoneId, long totalBytes, long usedBytes) {
        String uuid = UUID.randomUUID().toString();
        // Only into a live zone: a zone being deleted holds its row lock until it is removed.
        int created = jdbc.update("INSERT INTO image_store (uuid, name, protocol, url, data_center_id, image_provider_name,"
                        + " role, total_size, used_bytes, created) SELECT ?, ?, ?, ?, id, ?, 'Image', ?, ?, ?"
                        + " FROM data_center WHERE id = ? AND removed IS NULL", uuid, name, protocol,
                new StoredStoreUrl(url, credentials).column(cipher), provider,
                totalBytes, usedBytes, Instant.now(), zoneId);
        if (created == 0) {
            throw io.rbdstack.server.api.ApiException.invalidParameter("The zone was deleted meanwhile (parameter zoneid)");
        }
        return uuid;
    }

    public Optional<StoreRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND i.uuid = ?", this::row, uuid);
    }

    public Optional<StoreRow> findById(long id) {
        return jdbc.queryOne(SELECT + " AND i.id = ?", this::row, id);
    }

    /** The zone's stores, the one with the most free space first. */
    public List<StoreRow> ofZone(long zoneId) {
        return jdbc.query(SELECT + " AND i.data_center_id = ? ORDER BY COALESCE(i.total_size, 0)"
                + " - COALESCE(i.used_bytes, 0) DESC, i.id", this::row, zoneId);
    }

    public List<StoreRow> list(Filter filter, String limit) {
        return jdbc.query(SELECT + FILTER + " ORDER BY i.id" + limit, this::row, filter.args());
    }

    public long count(Filter filter) {
        return jdbc.queryLong("SELECT COUNT(*)" + FROM + FILTER, filter.args());
    }

    public boolean nameTaken(long zoneId, String name) {
        return jdbc.queryLong("SELECT COUNT(*) FROM image_store WHERE data_center_id = ? AND name = ?"
                + " AND removed IS NULL", zoneId, name) > 0;
    }

    /** Backup files kept on the store (of live snapshots, or parents of live ones). */
    public long backupCount(long storeId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM snapshot_store_ref WHERE store_id = ? AND store_role = 'Image'"
                + " AND state = 'Ready'", storeId);
    }

    /** Whether a snapshot of the zone is BackingUp: its backup may be about to be recorded on a store of the zone. */
    public boolean backupRunningInZone(long zoneId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM snapshots WHERE data_center_id = ? AND status = 'BackingUp'",
                zoneId) > 0;
    }

    public void remove(long id) {
        jdbc.update("UPDATE image_store SET removed = ? WHERE id = ?", Instant.now(), id);
    }

    public void capacity(long id, long totalBytes, long usedBytes) {
        jdbc.update("UPDATE image_store SET total_size = ?, used_bytes = ? WHERE id = ?", totalBytes, usedBytes, id);
    }

    private StoreRow row(ResultSet rs) throws SQLException {
        StoredStoreUrl stored = StoredStoreUrl.read(rs.getString("url"), cipher);
        return new StoreRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"), rs.getString("protocol"),
                stored.url(), rs.getString("image_provider_name"), rs.getLong("data_center_id"),
                rs.getString("zone_uuid"), rs.getString("zone_name"), rs.getObject("total_size", Long.class),
                rs.getObject("used_bytes", Long.class), stored.credentials());
    }
}
