package io.rbdstack.server.offering;

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
                              String provisioningType) {
    }

    /** listDiskOfferings filters. */
    public record Filter(Optional<String> uuid, Optional<String> name, Optional<String> keyword) {
        Object[] args() {
            return FilterArgs.of(uuid, name, FilterArgs.like(keyword));
        }
    }

    private static final String SELECT = "SELECT id, uuid, name, display_text, disk_size, customized, tags,"
            + " provisioning_type, created FROM disk_offering WHERE removed IS NULL";
    private static final String FILTER = " AND (? IS NULL OR uuid = ?) AND (? IS NULL OR name = ?)"
            + " AND (? IS NULL OR name LIKE ?)";

    private final Jdbc jdbc;

    public DiskOfferingRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public String create(NewOffering offering) {
        String uuid = UUID.randomUUID().toString();
        jdbc.insert("INSERT INTO disk_offering (uuid, name, display_text, disk_size, customized, tags, provisioning_type,"
                        + " state, created) VALUES (?, ?, ?, ?, ?, ?, ?, 'Active', ?)", uuid, offering.name(),
                offering.displayText(), offering.sizeBytes(), offering.customized(),
                offering.tags().isEmpty() ? null : String.join(",", offering.tags()), offering.provisioningType(),
                Instant.now());
        return uuid;
    }

    public Optional<DiskOffering> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND uuid = ?", DiskOfferingRepository::row, uuid);
    }

    public List<DiskOffering> list(Filter filter, String limit) {
        return jdbc.query(SELECT + FILTER + " ORDER BY id" + limit, DiskOfferingRepository::row, filter.args());
    }

    public long count(Filter filter) {
        return jdbc.queryLong("SELECT COUNT(*) FROM disk_offering WHERE removed IS NULL" + FILTER, filter.args());
    }

    private static DiskOffering row(ResultSet rs) throws SQLException {
        String tags = rs.getString("tags");
        return new DiskOffering(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"),
                rs.getString("display_text"), rs.getLong("disk_size"), rs.getBoolean("customized"),
                tags == null || tags.isBlank() ? List.of() : Arrays.stream(tags.split(",")).map(String::trim)
                        .filter(t -> !t.isEmpty()).toList(),
                rs.getString("provisioning_type"), Jdbc.instant(rs, "created"));
    }
}
