package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.spi.net.Ipv6Cidr;
import java.time.Instant;
import java.util.Optional;

/**
 * Per-network prefix-delegation pools (network_ip6_pd_pool): prefixes of {@code delegatedLength} bits
 * cut from {@code prefix}, handed by Kea to the network's guests that ask (IA_PD). The caller holds the
 * zone's row (network create), so overlap checks see every other pool.
 */
public final class PdPools {

    /** A network's pool. */
    public record PdPool(Ipv6Cidr prefix, int delegatedLength) {
    }

    private final Jdbc jdbc;

    public PdPools(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the network's pool; 431 naming ip6pdprefix when it overlaps the network's /64, a zone guest
     * prefix, or another live network's /64 or pool, and naming ip6pdlength when it is not longer than the pool.
     */
    void add(long networkId, Ipv6Cidr subnet, Ipv6Cidr prefix, int delegatedLength) {
        if (delegatedLength < prefix.length() || delegatedLength > 128) {
            throw ApiException.invalidParameter("Invalid value '" + delegatedLength + "' for parameter ip6pdlength:"
                    + " delegated prefixes are cut from " + prefix + ", so their length is from " + prefix.length()
                    + " to 128");
        }
        if (prefix.overlaps(subnet)) {
            refuse(prefix, "it overlaps the network's own /64 " + subnet);
        }
        for (String guest : jdbc.query("SELECT prefix FROM dc_ip6_guest_prefix WHERE removed IS NULL ORDER BY id",
                rs -> rs.getString(1))) {
            if (Ipv6Cidr.parse(guest).overlaps(prefix)) {
                refuse(prefix, "it overlaps the guest IPv6 prefix " + guest + ", whose /64s go to networks");
            }
        }
        for (var other : jdbc.query("SELECT n.name, n.ip6_cidr, p.prefix FROM networks n LEFT JOIN network_ip6_pd_pool p"
                + " ON p.network_id = n.id WHERE n.removed IS NULL AND n.id <> ? AND n.ip6_cidr IS NOT NULL ORDER BY n.id",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, networkId)) {
            for (int i = 1; i <= 2; i++) {
                if (other[i] != null && Ipv6Cidr.parse(other[i]).overlaps(prefix)) {
                    refuse(prefix, "it overlaps " + other[i] + " of network " + other[0]);
                }
            }
        }
        jdbc.insert("INSERT INTO network_ip6_pd_pool (network_id, prefix, delegated_length, created) VALUES (?, ?, ?, ?)",
                networkId, prefix.toString(), delegatedLength, Instant.now());
    }

    /** The network's pool, if it has one. */
    public Optional<PdPool> of(long networkId) {
        return jdbc.queryOne("SELECT prefix, delegated_length FROM network_ip6_pd_pool WHERE network_id = ?",
                rs -> new PdPool(Ipv6Cidr.parse(rs.getString(1)), rs.getInt(2)), networkId);
    }

    private static void refuse(Ipv6Cidr prefix, String why) {
        throw ApiException.invalidParameter("Invalid value '" + prefix + "' for parameter ip6pdprefix: " + why);
    }
}
