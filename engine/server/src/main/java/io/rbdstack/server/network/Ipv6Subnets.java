package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.spi.net.Ipv6Cidr;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Gives dual-stack networks their /64 and takes it back (ip6_guest_prefix_subnet_network_map). The caller
 * holds the zone's row, so two networks created at once in a zone are given their /64s one after the
 * other; the map's unique subnet and the networks' unique live /64 make a double grant fail rather than
 * happen.
 */
final class Ipv6Subnets {

    private record Prefix(long id, Ipv6Cidr cidr, String zoneName, long zoneId) {
    }

    private final Jdbc jdbc;

    Ipv6Subnets(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records {@code requested} for the network (a /64 of one of its zone's prefixes is marked taken; one
     * outside every prefix is the admin's own), or, when empty, gives it the first free /64 of the zone's
     * prefixes. 431 when the /64 is taken or in another zone's prefix; 533 when the zone has none left.
     */
    Ipv6Cidr assign(long zoneId, long networkId, Optional<Ipv6Cidr> requested) {
        List<Prefix> prefixes = jdbc.query("SELECT p.id, p.prefix, z.name, z.id FROM dc_ip6_guest_prefix p"
                + " JOIN data_center z ON z.id = p.data_center_id WHERE p.removed IS NULL ORDER BY p.id",
                rs -> new Prefix(rs.getLong(1), Ipv6Cidr.parse(rs.getString(2)), rs.getString(3), rs.getLong(4)));
        if (requested.isPresent()) {
            Ipv6Cidr subnet = requested.get();
            liveNetworkWith(subnet).ifPresent(other -> {
                throw ApiException.invalidParameter("Invalid value '" + subnet + "' for parameter ip6cidr: the /64"
                        + " is network " + other + "'s");
            });
            for (Prefix prefix : prefixes) {
                if (prefix.cidr().overlaps(subnet)) {
                    if (prefix.zoneId() != zoneId) {
                        throw ApiException.invalidParameter("Invalid value '" + subnet + "' for parameter ip6cidr: it"
                                + " lies in the guest IPv6 prefix " + prefix.cidr() + " of zone " + prefix.zoneName());
                    }
                    take(prefix, subnet, networkId);
                }
            }
            return subnet;
        }
        for (Prefix prefix : prefixes) {
            if (prefix.zoneId() == zoneId) {
                Optional<Ipv6Cidr> free = firstFree(prefix);
                if (free.isPresent()) {
                    take(prefix, free.get(), networkId);
                    return free.get();
                }
            }
        }
        throw ApiException.insufficientCapacity("No /64 left for a dual-stack network in zone " + zoneName(zoneId)
                + ": add a guest IPv6 prefix (createGuestNetworkIpv6Prefix), or give ip6cidr");
    }

    /** Frees the network's /64 for the next network (deleteNetwork). */
    void release(long networkId) {
        jdbc.update("UPDATE ip6_guest_prefix_subnet_network_map SET network_id = NULL, state = 'Free', updated = ?"
                + " WHERE network_id = ? AND state = 'Allocated'", Instant.now(), networkId);
    }

    /** A /64 freed by a deleted network first, then the first never given, skipping any an admin named. */
    private Optional<Ipv6Cidr> firstFree(Prefix prefix) {
        Optional<String> freed = jdbc.queryOne("SELECT subnet FROM ip6_guest_prefix_subnet_network_map"
                + " WHERE prefix_id = ? AND state = 'Free' ORDER BY id LIMIT 1", rs -> rs.getString(1), prefix.id());
        if (freed.isPresent()) {
            return freed.map(Ipv6Cidr::parse);
        }
        // Rows are only ever added in order (or for a named /64 further on), so the next index is at least the count.
        long all = prefix.cidr().subnetCount(GuestIpv6PrefixRepository.SUBNET_LENGTH);
        for (long index = jdbc.queryLong("SELECT COUNT(*) FROM ip6_guest_prefix_subnet_network_map WHERE"
                + " prefix_id = ?", prefix.id()); index < all; index++) {
            Ipv6Cidr candidate = prefix.cidr().subnet(index, GuestIpv6PrefixRepository.SUBNET_LENGTH);
            if (jdbc.queryLong("SELECT COUNT(*) FROM ip6_guest_prefix_subnet_network_map WHERE subnet = ?",
                    candidate.toString()) == 0 && liveNetworkWith(candidate).isEmpty()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private void take(Prefix prefix, Ipv6Cidr subnet, long networkId) {
        int freed = jdbc.update("UPDATE ip6_guest_prefix_subnet_network_map SET network_id = ?, state = 'Allocated',"
                + " updated = ? WHERE subnet = ? AND state = 'Free'", networkId, Instant.now(), subnet.toString());
        if (freed == 0) {
            jdbc.insert("INSERT INTO ip6_guest_prefix_subnet_network_map (uuid, prefix_id, subnet, network_id, state,"
                    + " created) VALUES (?, ?, ?, ?, 'Allocated', ?)", UUID.randomUUID().toString(), prefix.id(),
                    subnet.toString(), networkId, Instant.now());
        }
    }

    private Optional<String> liveNetworkWith(Ipv6Cidr subnet) {
        return jdbc.queryOne("SELECT name FROM networks WHERE live_ip6_cidr = ?", rs -> rs.getString(1),
                subnet.toString());
    }

    private String zoneName(long zoneId) {
        return jdbc.queryOne("SELECT name FROM data_center WHERE id = ?", rs -> rs.getString(1), zoneId).orElseThrow();
    }
}
