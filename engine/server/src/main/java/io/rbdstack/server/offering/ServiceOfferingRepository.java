package io.rbdstack.server.offering;

import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Service offerings ({@code service_offering} rows); tags are stored comma-separated, as CloudStack did. */
public final class ServiceOfferingRepository {

    /** What createServiceOffering stores. */
    public record NewOffering(String name, String displayText, Integer cpuNumber, Integer cpuSpeedMhz,
                              Integer memoryMb, ServiceOffering.CustomLimits limits, Long rootDiskBytes,
                              List<String> tags, List<String> hostTags, ServiceOffering.Flags flags,
                              ServiceOffering.Throttles throttles) {
    }

    /** What updateServiceOffering changes; an absent field is left as it is. */
    public record OfferingUpdate(Optional<String> name, Optional<String> displayText, Optional<List<String>> tags,
                                 Optional<List<String>> hostTags) {
    }

    /** listServiceOfferings filters. */
    public record Filter(Optional<String> uuid, Optional<String> name, Optional<String> keyword) {
        Where where() {
            return Where.of("removed IS NULL").andIf("uuid = ?", uuid).andIf("name = ?", name)
                    .andContains("name", keyword);
        }
    }

    private static final String COLUMNS = "SELECT id, uuid, name, display_text, cpu, speed, ram_size, min_cpu, max_cpu,"
            + " min_memory, max_memory, root_disk_size, tags, host_tag, offer_ha, limit_cpu_use, is_volatile,"
            + " bytes_read_rate, bytes_write_rate, iops_read_rate, iops_write_rate, state, created FROM service_offering";

    private final Jdbc jdbc;

    public ServiceOfferingRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public String create(NewOffering o) {
        String uuid = UUID.randomUUID().toString();
        ServiceOffering.CustomLimits limits = o.limits();
        ServiceOffering.Throttles throttles = o.throttles();
        jdbc.insert("INSERT INTO service_offering (uuid, name, display_text, cpu, speed, ram_size, min_cpu, max_cpu,"
                        + " min_memory, max_memory, root_disk_size, tags, host_tag, offer_ha, limit_cpu_use, is_volatile,"
                        + " bytes_read_rate, bytes_write_rate, iops_read_rate, iops_write_rate, state, created)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Active', ?)",
                uuid, o.name(), o.displayText(), o.cpuNumber(), o.cpuSpeedMhz(), o.memoryMb(), limits.minCpuNumber(),
                limits.maxCpuNumber(), limits.minMemoryMb(), limits.maxMemoryMb(), o.rootDiskBytes(),
                tagText(o.tags()), tagText(o.hostTags()), o.flags().offerHa(), o.flags().limitCpuUse(),
                o.flags().isVolatile(), throttles.bytesReadRate(), throttles.bytesWriteRate(),
                throttles.iopsReadRate(), throttles.iopsWriteRate(), Instant.now());
        return uuid;
    }

    /** The live offering, for new VMs. */
    public Optional<ServiceOffering> find(String uuid) {
        return jdbc.queryOne(COLUMNS + " WHERE uuid = ? AND removed IS NULL", ServiceOfferingRepository::row, uuid);
    }

    /** Live offerings, oldest first. */
    public List<ServiceOffering> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(COLUMNS + where.sql() + " ORDER BY id" + limit, ServiceOfferingRepository::row, where.args());
    }

    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM service_offering" + where.sql(), where.args());
    }

    /** Applies the whole update in one statement. */
    public void update(long id, OfferingUpdate u) {
        new ColumnUpdates().set("name", u.name()).set("display_text", u.displayText())
                .set("tags", u.tags().map(ServiceOfferingRepository::tagText))
                .set("host_tag", u.hostTags().map(ServiceOfferingRepository::tagText))
                .apply(jdbc, "service_offering", id);
    }

    /** deleteServiceOffering: Inactive and removed, so no new VM can use it; VMs made with it keep it. */
    public void delete(long id) {
        jdbc.update("UPDATE service_offering SET state = 'Inactive', removed = ? WHERE id = ? AND removed IS NULL",
                Instant.now(), id);
    }

    private static String tagText(List<String> tags) {
        return tags.isEmpty() ? null : String.join(",", tags);
    }

    private static List<String> tagList(String text) {
        return text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static ServiceOffering row(ResultSet rs) throws SQLException {
        return new ServiceOffering(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"),
                rs.getString("display_text"), rs.getObject("cpu", Integer.class), rs.getObject("speed", Integer.class),
                rs.getObject("ram_size", Integer.class),
                new ServiceOffering.CustomLimits(rs.getObject("min_cpu", Integer.class),
                        rs.getObject("max_cpu", Integer.class), rs.getObject("min_memory", Integer.class),
                        rs.getObject("max_memory", Integer.class)),
                rs.getObject("root_disk_size", Long.class), tagList(rs.getString("tags")),
                tagList(rs.getString("host_tag")),
                new ServiceOffering.Flags(rs.getBoolean("offer_ha"), rs.getBoolean("limit_cpu_use"),
                        rs.getBoolean("is_volatile")),
                new ServiceOffering.Throttles(rs.getObject("bytes_read_rate", Long.class),
                        rs.getObject("bytes_write_rate", Long.class), rs.getObject("iops_read_rate", Long.class),
                        rs.getObject("iops_write_rate", Long.class)),
                rs.getString("state"), Jdbc.instant(rs, "created"));
    }
}
