package io.rbdstack.server.offering;

import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.FilterArgs;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Disk offerings ({@code disk_offering} rows); tags are stored comma-separated, as CloudStack did. */
public final class DiskOfferingRepository {

    /** What createDiskOffering stores. */
    public record NewOffering(String name, String displayText, long sizeBytes, boolean customized, List<String> tags,
                              String provisioningType, DiskOffering.Qos qos) {
    }

    /** What updateDiskOffering changes; an absent field is left as it is. */
    public record OfferingUpdate(Optional<String> name, Optional<String> displayText, Optional<List<String>> tags,
                                 Optional<Long> bytesReadRate, Optional<Long> bytesWriteRate,
                                 Optional<Long> iopsReadRate, Optional<Long> iopsWriteRate) {
    }

    /** listDiskOfferings filters. */
    public record Filter(Optional<String> uuid, Optional<String> name, Optional<String> keyword) {
        Object[] args() {
            return FilterArgs.of(uuid, name, FilterArgs.like(keyword));
        }
    }

    private static final String COLUMNS = "SELECT id, uuid, name, display_text, disk_size, customized, tags,"
            + " provisioning_type, customized_iops, min_iops, max_iops, bytes_read_rate, bytes_write_rate,"
            + " iops_read_rate, iops_write_rate, state, created FROM disk_offering";
    private static final String SELECT = COLUMNS + " WHERE removed IS NULL";
    private static final String FILTER = " AND (? IS NULL OR uuid = ?) AND (? IS NULL OR name = ?)"
            + " AND (? IS NULL OR name LIKE ?)";

    private final Jdbc jdbc;

    public DiskOfferingRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public String create(NewOffering offering) {
        String uuid = UUID.randomUUID().toString();
        DiskOffering.Qos qos = offering.qos();
        jdbc.insert("INSERT INTO disk_offering (uuid, name, display_text, disk_size, customized, tags, provisioning_type,"
                        + " customized_iops, min_iops, max_iops, bytes_read_rate, bytes_write_rate, iops_read_rate,"
                        + " iops_write_rate, state, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Active', ?)",
                uuid, offering.name(), offering.displayText(), offering.sizeBytes(), offering.customized(),
                tagText(offering.tags()), offering.provisioningType(), qos.customizedIops(), qos.minIops(),
                qos.maxIops(), qos.bytesReadRate(), qos.bytesWriteRate(), qos.iopsReadRate(), qos.iopsWriteRate(),
                Instant.now());
        return uuid;
    }

    /** The live offering, for new volumes. */
    public Optional<DiskOffering> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND uuid = ?", DiskOfferingRepository::row, uuid);
    }

    /** The offering even when deleted: what an existing volume was made with still applies to it. */
    public Optional<DiskOffering> findEvenDeleted(String uuid) {
        return jdbc.queryOne(COLUMNS + " WHERE uuid = ?", DiskOfferingRepository::row, uuid);
    }

    public List<DiskOffering> list(Filter filter, String limit) {
        return jdbc.query(SELECT + FILTER + " ORDER BY id" + limit, DiskOfferingRepository::row, filter.args());
    }

    public long count(Filter filter) {
        return jdbc.queryLong("SELECT COUNT(*) FROM disk_offering WHERE removed IS NULL" + FILTER, filter.args());
    }

    /** Applies the whole update in one statement. */
    public void update(long id, OfferingUpdate u) {
        new ColumnUpdates().set("name", u.name()).set("display_text", u.displayText())
                .set("tags", u.tags().map(DiskOfferingRepository::tagText))
                .set("bytes_read_rate", u.bytesReadRate()).set("bytes_write_rate", u.bytesWriteRate())
                .set("iops_read_rate", u.iopsReadRate()).set("iops_write_rate", u.iopsWriteRate())
                .apply(jdbc, "disk_offering", id);
    }

    /**
     * deleteDiskOffering: Inactive and removed, so no new volume can use it; the volumes made with it keep
     * pointing at it and keep their size and QoS.
     */
    public void delete(long id) {
        jdbc.update("UPDATE disk_offering SET state = 'Inactive', removed = ? WHERE id = ? AND removed IS NULL",
                Instant.now(), id);
    }

    private static String tagText(List<String> tags) {
        return tags.isEmpty() ? null : String.join(",", tags);
    }

    private static DiskOffering row(ResultSet rs) throws SQLException {
        String tags = rs.getString("tags");
        DiskOffering.Qos qos = new DiskOffering.Qos(rs.getBoolean("customized_iops"),
                rs.getObject("min_iops", Long.class), rs.getObject("max_iops", Long.class),
                rs.getObject("bytes_read_rate", Long.class), rs.getObject("bytes_write_rate", Long.class),
                rs.getObject("iops_read_rate", Long.class), rs.getObject("iops_write_rate", Long.class));
        return new DiskOffering(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"),
                rs.getString("display_text"), rs.getLong("disk_size"), rs.getBoolean("customized"),
                tags == null || tags.isBlank() ? List.of() : Arrays.stream(tags.split(",")).map(String::trim)
                        .filter(t -> !t.isEmpty()).toList(),
                rs.getString("provisioning_type"), qos, rs.getString("state"), Jdbc.instant(rs, "created"));
    }
}
