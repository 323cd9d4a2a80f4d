package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import io.rbdstack.spi.net.Ipv6Cidr;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The zones' IPv6 guest prefixes (dc_ip6_guest_prefix). Creates and deletes hold the zone's row, as
 * network creates (which carve /64s from the prefixes) do, so they are checked one after the other.
 */
public final class GuestIpv6PrefixRepository {

    /** A prefix's /64s given to live networks. */
    static final int SUBNET_LENGTH = 64;

    private static final String SELECT = "SELECT p.id, p.uuid, p.prefix, p.created, z.uuid AS zone_uuid,"
            + " z.name AS zone_name, (SELECT COUNT(*) FROM ip6_guest_prefix_subnet_network_map m"
            + " WHERE m.prefix_id = p.id AND m.state = 'Allocated') AS used"
            + " FROM dc_ip6_guest_prefix p JOIN data_center z ON z.id = p.data_center_id";

    private final Jdbc jdbc;

    public GuestIpv6PrefixRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** listGuestNetworkIpv6Prefixes' filters. */
    public record Filter(Optional<String> uuid, Optional<String> zoneUuid) {
        Where where() {
            return Where.of("p.removed IS NULL").andIf("p.uuid = ?", uuid).andIf("z.uuid = ?", zoneUuid);
        }
    }

    /** Saves the prefix unless it overlaps a live one (431 naming both) or its zone was deleted meanwhile. */
    public String create(long zoneId, Ipv6Cidr prefix) {
        String uuid = UUID.randomUUID().toString();
        jdbc.transaction(() -> {
            if (jdbc.query("SELECT id FROM data_center WHERE id = ? AND removed IS NULL FOR UPDATE", rs -> rs.getLong(1),
                    zoneId).isEmpty()) {
                throw ApiException.invalidParameter("The zone was deleted meanwhile (parameter zoneid)");
            }
            refuseOverlap(prefix);
            jdbc.insert("INSERT INTO dc_ip6_guest_prefix (uuid, data_center_id, prefix, created) VALUES (?, ?, ?, ?)",
                    uuid, zoneId, prefix.toString(), Instant.now());
        });
        return uuid;
    }

    /**
     * 431 naming the live prefix, of any zone, that {@code prefix} overlaps: a /64 is unique across the cloud
     * (Kea and the routers see one address space).
     */
    public void refuseOverlap(Ipv6Cidr prefix) {
        for (GuestIpv6Prefix other : jdbc.query(SELECT + " WHERE p.removed IS NULL ORDER BY p.id",
                GuestIpv6PrefixRepository::row)) {
            if (Ipv6Cidr.parse(other.prefix()).overlaps(prefix)) {
                throw ApiException.invalidParameter("Invalid value '" + prefix + "' for parameter prefix: it"
                        + " overlaps the guest IPv6 prefix " + other.prefix() + " of zone " + other.zoneName());
            }
        }
    }

    public Optional<GuestIpv6Prefix> find(String uuid) {
        return jdbc.queryOne(SELECT + " WHERE p.uuid = ? AND p.removed IS NULL", GuestIpv6PrefixRepository::row, uuid);
    }

    public List<GuestIpv6Prefix> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(SELECT + where.sql() + " ORDER BY p.id" + limit, GuestIpv6PrefixRepository::row,
                where.args());
    }

    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM dc_ip6_guest_prefix p JOIN data_center z"
                + " ON z.id = p.data_center_id" + where.sql(), where.args());
    }

    /**
     * Marks the prefix removed and forgets its free /64s; refused (536) while a live network holds one of
     * its /64s, naming the subnets and networks.
     */
    public void delete(String uuid) {
        jdbc.transaction(() -> {
            GuestIpv6Prefix prefix = find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find guest network IPv6 prefix by id " + uuid + " (parameter id)"));
            jdbc.query("SELECT z.id FROM data_center z JOIN dc_ip6_guest_prefix p ON p.data_center_id = z.id"
                    + " WHERE p.id = ? FOR UPDATE", rs -> rs.getLong(1), prefix.id());
            refuseDeletingWhileUsed(prefix);
            jdbc.update("DELETE FROM ip6_guest_prefix_subnet_network_map WHERE prefix_id = ? AND state = 'Free'",
                    prefix.id());
            jdbc.update("UPDATE dc_ip6_guest_prefix SET removed = ? WHERE id = ?", Instant.now(), prefix.id());
        });
    }

    /** 536 naming the subnets of the prefix live networks hold, and the networks, if there are any. */
    public void refuseDeletingWhileUsed(GuestIpv6Prefix prefix) {
        List<String> inUse = jdbc.query("SELECT CONCAT(m.subnet, ' (network ', n.name, ')')"
                + " FROM ip6_guest_prefix_subnet_network_map m JOIN networks n ON n.id = m.network_id"
                + " WHERE m.prefix_id = ? AND m.state = 'Allocated' ORDER BY m.id", rs -> rs.getString(1), prefix.id());
        if (!inUse.isEmpty()) {
            throw ApiException.inUse("Unable to delete guest network IPv6 prefix ID: " + prefix.uuid()
                    + ". Prefix subnets are in use: " + String.join(", ", inUse.subList(0, Math.min(3,
                    inUse.size()))) + (inUse.size() > 3 ? ", …" : ""));
        }
    }

    private static GuestIpv6Prefix row(ResultSet rs) throws SQLException {
        String prefix = rs.getString("prefix");
        long used = rs.getLong("used");
        long all = Ipv6Cidr.parse(prefix).subnetCount(SUBNET_LENGTH);
        return new GuestIpv6Prefix(rs.getLong("id"), rs.getString("uuid"), prefix, rs.getString("zone_uuid"),
                rs.getString("zone_name"), used, all - used, Jdbc.instant(rs, "created"));
    }
}
