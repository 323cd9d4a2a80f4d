package io.rbdstack.server.infra;

import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.Dependents;
import io.rbdstack.server.db.FilterArgs;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Zones (data_center rows). */
public final class ZoneRepository {

    /** A zone as createZone and listZones show it. */
    public record ZoneView(String id, String name, String description, String dns1, String dns2, String ip6dns1,
                           String ip6dns2, String internaldns1, String internaldns2, String guestcidraddress,
                           String domain, String networktype, String allocationstate, Boolean securitygroupsenabled,
                           Boolean localstorageenabled, String created) {
    }

    /** What createZone stores. */
    public record NewZone(String name, String description, String dns1, String dns2, String ip6Dns1, String ip6Dns2,
                          String internalDns1, String internalDns2, String guestCidr, String domain, String networkType,
                          String allocationState) {
    }

    /** What updateZone changes; an absent field is left as it is. */
    public record ZoneUpdate(Optional<String> name, Optional<String> dns1, Optional<String> dns2,
                             Optional<String> ip6Dns1, Optional<String> ip6Dns2, Optional<String> internalDns1,
                             Optional<String> internalDns2, Optional<String> guestCidr, Optional<String> domain,
                             Optional<String> allocationState) {
    }

    private static final String SELECT = "SELECT id, uuid, name, description, dns1, dns2, ip6_dns1, ip6_dns2,"
            + " internal_dns1, internal_dns2, guest_network_cidr, domain, network_type, allocation_state, created"
            + " FROM data_center WHERE removed IS NULL";

    private final Jdbc jdbc;

    public ZoneRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public String create(NewZone z) {
        String uuid = UUID.randomUUID().toString();
        jdbc.insert("INSERT INTO data_center (uuid, name, description, dns1, dns2, ip6_dns1, ip6_dns2, internal_dns1,"
                        + " internal_dns2, guest_network_cidr, domain, network_type, allocation_state, created)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", uuid, z.name(), z.description(), z.dns1(),
                z.dns2(), z.ip6Dns1(), z.ip6Dns2(), z.internalDns1(), z.internalDns2(), z.guestCidr(), z.domain(),
                z.networkType(), z.allocationState(), Instant.now());
        return uuid;
    }

    public boolean nameTaken(String name) {
        return jdbc.queryLong("SELECT COUNT(*) FROM data_center WHERE name = ? AND removed IS NULL", name) > 0;
    }

    /** Applies the whole update in one statement. */
    public void update(long id, ZoneUpdate u) {
        new ColumnUpdates().set("name", u.name()).set("dns1", u.dns1()).set("dns2", u.dns2())
                .set("ip6_dns1", u.ip6Dns1()).set("ip6_dns2", u.ip6Dns2()).set("internal_dns1", u.internalDns1())
                .set("internal_dns2", u.internalDns2()).set("guest_network_cidr", u.guestCidr())
                .set("domain", u.domain()).set("allocation_state", u.allocationState())
                .apply(jdbc, "data_center", id);
    }

    /** Marks the zone removed, or 536 naming its pods, storage, networks and volumes when it still has any. */
    public void delete(long id, String name) {
        Dependents.deleteUnlessDepended(jdbc, "data_center", id, "zone", name, d -> d
                .rows("pod(s)", "host_pod_ref", "name", "data_center_id = ?", id)
                .rows("primary storage pool(s)", "storage_pool", "name", "data_center_id = ?", id)
                .rows("image store(s)", "image_store", "name", "data_center_id = ?", id)
                .rows("network(s)", "networks", "name", "data_center_id = ?", id)
                .rows("volume(s)", "volumes", "name", "data_center_id = ?", id));
    }

    public Optional<ZoneView> find(String uuid) {
        return jdbc.queryOne(SELECT + " AND uuid = ?", ZoneRepository::view, uuid);
    }

    public Optional<Long> idOf(String uuid) {
        return jdbc.queryOne("SELECT id FROM data_center WHERE uuid = ? AND removed IS NULL", rs -> rs.getLong(1), uuid);
    }

    public List<ZoneView> list(Optional<String> uuid, Optional<String> name, Optional<String> keyword, String limit) {
        return jdbc.query(SELECT + FILTER + " ORDER BY id" + limit, ZoneRepository::view, filterArgs(uuid, name, keyword));
    }

    public long count(Optional<String> uuid, Optional<String> name, Optional<String> keyword) {
        return jdbc.queryLong("SELECT COUNT(*) FROM data_center WHERE removed IS NULL" + FILTER,
                filterArgs(uuid, name, keyword));
    }

    private static final String FILTER = " AND (? IS NULL OR uuid = ?) AND (? IS NULL OR name = ?) AND (? IS NULL OR name LIKE ?)";

    private static Object[] filterArgs(Optional<String> uuid, Optional<String> name, Optional<String> keyword) {
        return FilterArgs.of(uuid, name, FilterArgs.like(keyword));
    }

    private static ZoneView view(ResultSet rs) throws SQLException {
        return new ZoneView(rs.getString("uuid"), rs.getString("name"), rs.getString("description"),
                rs.getString("dns1"), rs.getString("dns2"), rs.getString("ip6_dns1"), rs.getString("ip6_dns2"),
                rs.getString("internal_dns1"), rs.getString("internal_dns2"), rs.getString("guest_network_cidr"),
                rs.getString("domain"), rs.getString("network_type"), rs.getString("allocation_state"), false, false,
                ApiJson.date(Jdbc.instant(rs, "created")));
    }
}
