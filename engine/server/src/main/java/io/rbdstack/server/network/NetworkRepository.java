package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.Dependents;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import io.rbdstack.server.infra.Ipv4;
import io.rbdstack.spi.net.Ipv6Cidr;
import io.rbdstack.spi.net.Rfc5952;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The networks table. A network is created, and its range changed, with its zone's row locked, so two
 * calls racing for one range, VLAN, bridge or IPv6 /64 are checked one after the other.
 */
public final class NetworkRepository {

    /** What createNetwork saves. {@code vlan} and {@code uplink} are both null for an untagged network. */
    public record NewNetwork(String name, String displayText, long zoneId, long accountId, long domainId,
                             long offeringId, GuestSubnet subnet, String dns1, String dns2, Integer vlan, String bridge,
                             String uplink, String networkDomain, Ipv6Request ipv6) {
    }

    /**
     * A dual-stack network's IPv6: its /64 and gateway as given, or (cidr empty) a /64 allocated from
     * the zone's guest prefixes with the gateway its ::1; optionally a prefix-delegation pool. Null in
     * NewNetwork for an IPv4-only network.
     */
    public record Ipv6Request(Optional<Ipv6Cidr> cidr, Optional<String> gateway, Optional<PdPools.PdPool> pdPool) {
    }

    /** What updateNetwork changes; an absent field stays. A new range comes with the start and end checked. */
    public record NetworkUpdate(Optional<String> name, Optional<String> displayText, Optional<GuestSubnet> range,
                                Optional<String> networkDomain) {
    }

    /** listNetworks filters; {@code visibleFrom} is the caller's domain path (empty for root admins). */
    public record Filter(Optional<String> uuid, Optional<String> zoneUuid, Optional<String> offeringUuid,
                         Optional<String> keyword, Optional<String> visibleFrom) {
        Where where() {
            return Where.of("n.removed IS NULL").andIf("n.uuid = ?", uuid).andIf("z.uuid = ?", zoneUuid)
                    .andIf("o.uuid = ?", offeringUuid).andContains("n.name", keyword)
                    // a Domain network serves its domain and the domains below it
                    .andIf("LEFT(?, CHAR_LENGTH(d.path)) = d.path", visibleFrom);
        }
    }

    private static final String SELECT = "SELECT n.id, n.uuid, n.name, n.display_text, n.gateway, n.netmask,"
            + " n.ip4_start, n.ip4_end, n.dns1, n.dns2, n.vlan_id, n.bridge, n.uplink, n.network_domain, n.acl_type,"
            + " n.state, n.created, n.ip6_cidr, n.ip6_gateway, z.id AS zone_id, z.uuid AS zone_uuid, z.name AS zone_name, d.id AS domain_id,"
            + " d.uuid AS domain_uuid, d.path AS domain_path, o.id AS offering_id, o.uuid AS offering_uuid,"
            + " o.name AS offering_name FROM networks n JOIN data_center z ON z.id = n.data_center_id"
            + " JOIN domain d ON d.id = n.domain_id JOIN network_offering o ON o.id = n.network_offering_id";

    private final Jdbc jdbc;
    private final Ipv6Subnets ipv6Subnets;
    private final PdPools pdPools;
    private final List<java.util.function.LongConsumer> deletedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public NetworkRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.ipv6Subnets = new Ipv6Subnets(jdbc);
        this.pdPools = new PdPools(jdbc);
    }

    /** Called with a network's id once it is deleted (its hosts stop serving its DHCPv6). */
    public void onDeleted(java.util.function.LongConsumer listener) {
        deletedListeners.add(listener);
    }

    /** The networks' prefix-delegation pools. */
    public PdPools pdPools() {
        return pdPools;
    }

    /**
     * Saves the network unless it clashes with a live one of its zone (431) or its zone or domain was deleted
     * meanwhile.
     */
    public String create(NewNetwork n) {
        String uuid = UUID.randomUUID().toString();
        jdbc.transaction(() -> {
            if (jdbc.query("SELECT id FROM data_center WHERE id = ? AND removed IS NULL FOR UPDATE", rs -> rs.getLong(1),
                    n.zoneId()).isEmpty()) {
                throw ApiException.invalidParameter("The zone was deleted meanwhile (parameter zoneid)");
            }
            // a domain being deleted holds its row until it is removed; it then finds this network, or we find it gone
            if (jdbc.query("SELECT id FROM domain WHERE id = ? AND removed IS NULL LOCK IN SHARE MODE",
                    rs -> rs.getLong(1), n.domainId()).isEmpty()) {
                throw ApiException.invalidParameter("The domain was deleted meanwhile (parameter domainid)");
            }
            refuseClashes(n.zoneId(), 0, n.subnet(), n.vlan(), n.bridge());
            jdbc.insert("INSERT INTO networks (uuid, name, display_text, data_center_id, account_id, domain_id,"
                            + " network_offering_id, traffic_type, guest_type, acl_type, internet_protocol, cidr, gateway,"
                            + " netmask, ip4_start, ip4_end, dns1, dns2, network_domain, broadcast_uri, vlan_id, bridge,"
                            + " uplink, state, created) VALUES (?, ?, ?, ?, ?, ?, ?, 'Guest', 'Shared', 'Domain', 'IPv4',"
                            + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Setup', ?)",
                    uuid, n.name(), n.displayText(), n.zoneId(), n.accountId(), n.domainId(), n.offeringId(),
                    n.subnet().cidr(), Ipv4.format(n.subnet().gateway()), n.subnet().netmask(),
                    Ipv4.format(n.subnet().start()), Ipv4.format(n.subnet().end()), n.dns1(), n.dns2(),
                    n.networkDomain(), GuestNetwork.broadcastUri(n.vlan()), n.vlan(), n.bridge(), n.uplink(),
                    Instant.now());
            if (n.ipv6() != null) {
                long id = jdbc.queryLong("SELECT id FROM networks WHERE uuid = ?", uuid);
                Ipv6Cidr subnet = ipv6Subnets.assign(n.zoneId(), id, n.ipv6().cidr());
                String gateway = n.ipv6().gateway().orElseGet(() -> Rfc5952.format(firstHost(subnet)));
                jdbc.update("UPDATE networks SET internet_protocol = 'DualStack', ip6_cidr = ?, ip6_gateway = ?"
                        + " WHERE id = ?", subnet.toString(), gateway, id);
                n.ipv6().pdPool().ifPresent(pd -> pdPools.add(id, subnet, pd.prefix(), pd.delegatedLength()));
            }
        });
        return uuid;
    }

    /** The /64's first address after the network address (::1), a dual-stack network's default gateway. */
    private static byte[] firstHost(Ipv6Cidr subnet) {
        byte[] address = subnet.network();
        address[15] |= 1;
        return address;
    }

    /** A range overlapping another live network's, a VLAN or a bridge another live network of the zone has: 431. */
    private void refuseClashes(long zoneId, long exceptId, GuestSubnet subnet, Integer vlan, String bridge) {
        for (GuestNetwork other : jdbc.query(SELECT + " WHERE n.removed IS NULL AND n.data_center_id = ? AND n.id <> ?"
                + " ORDER BY n.id", NetworkRepository::row, zoneId, exceptId)) {
            GuestSubnet theirs = other.subnet();
            if (subnet.overlaps(theirs.start(), theirs.end())) {
                throw ApiException.invalidParameter("Invalid value '" + Ipv4.format(subnet.start()) + "-"
                        + Ipv4.format(subnet.end()) + "' for parameters startip and endip: the range overlaps "
                        + other.ip4Start() + "-" + other.ip4End() + " of network " + other.name() + " in zone "
                        + other.zone().name());
            }
            if (vlan != null && vlan.equals(other.vlan())) {
                throw ApiException.invalidParameter("Invalid value '" + vlan + "' for parameter vlan: VLAN " + vlan
                        + " is already used by network " + other.name() + " in zone " + other.zone().name());
            }
            if (bridge != null && bridge.equals(other.bridge())) {
                throw ApiException.invalidParameter("Invalid value '" + bridge + "' for parameter bridge: the bridge"
                        + " already serves network " + other.name() + " in zone " + other.zone().name()
                        + "; a VLAN network gets a bridge of its own");
            }
        }
    }

    /**
     * Applies the update. A new range must hold every address live NICs have (else 431 naming them) and
     * overlap no other network of the zone.
     */
    public void update(GuestNetwork network, NetworkUpdate u) {
        jdbc.transaction(() -> {
            jdbc.query("SELECT id FROM data_center WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), network.zone().id());
            jdbc.query("SELECT id FROM networks WHERE id = ? FOR UPDATE", rs -> rs.getLong(1), network.id());
            if (u.range().isPresent()) {
                GuestSubnet range = u.range().get();
                refuseClashes(network.zone().id(), network.id(), range, null, null);
                List<String> stranded = jdbc.query("SELECT ip4_address FROM nics WHERE network_id = ?"
                        + " AND removed IS NULL AND ip4_address IS NOT NULL ORDER BY id", rs -> rs.getString(1),
                        network.id()).stream().filter(ip -> !range.inRange(Ipv4.parse(ip, "ip"))).toList();
                if (!stranded.isEmpty()) {
                    throw ApiException.invalidParameter("Invalid value '" + Ipv4.format(range.start()) + "-"
                            + Ipv4.format(range.end()) + "' for parameters startip and endip: " + stranded.size()
                            + " address(es) NICs hold would fall outside the range ("
                            + String.join(", ", stranded.subList(0, Math.min(3, stranded.size())))
                            + (stranded.size() > 3 ? ", …" : "") + ")");
                }
            }
            new ColumnUpdates().set("name", u.name()).set("display_text", u.displayText())
                    .set("network_domain", u.networkDomain())
                    .set("ip4_start", u.range().map(r -> Ipv4.format(r.start())))
                    .set("ip4_end", u.range().map(r -> Ipv4.format(r.end()))).apply(jdbc, "networks", network.id());
        });
    }

    /** What deleteNetwork is refused for: the VMs with a live NIC on the network. */
    private static Dependents dependents(Dependents d, long networkId) {
        return d.rows("VM(s) with a NIC on it", "vm_instance", "name",
                "id IN (SELECT instance_id FROM nics WHERE network_id = ? AND removed IS NULL)", networkId);
    }

    /** 536 naming the VMs with NICs on the network, if there are any (deleteNetwork's early answer). */
    public void refuseDeletingWhileUsed(GuestNetwork network) {
        dependents(new Dependents(jdbc), network.id()).refuseDeleting("network", network.name());
    }

    /** Marks the network removed, or 536 naming the VMs still on it. */
    public void delete(GuestNetwork network) {
        jdbc.transaction(() -> {
            Dependents.deleteUnlessDepended(jdbc, "networks", network.id(), "network", network.name(),
                    d -> dependents(d, network.id()));
            jdbc.update("UPDATE networks SET state = 'Destroy' WHERE id = ? AND removed IS NOT NULL", network.id());
            ipv6Subnets.release(network.id());
        });
        deletedListeners.forEach(listener -> listener.accept(network.id()));
    }

    public Optional<GuestNetwork> find(String uuid) {
        return jdbc.queryOne(SELECT + " WHERE n.uuid = ? AND n.removed IS NULL", NetworkRepository::row, uuid);
    }

    /**
     * The live network with this uuid, its row (only that one: not its zone's or domain's) locked until the
     * caller's transaction ends.
     */
    Optional<GuestNetwork> lockLive(String uuid) {
        if (jdbc.query("SELECT id FROM networks WHERE uuid = ? AND removed IS NULL FOR UPDATE", rs -> rs.getLong(1),
                uuid).isEmpty()) {
            return Optional.empty();
        }
        return find(uuid);
    }

    public List<GuestNetwork> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(SELECT + where.sql() + " ORDER BY n.id" + limit, NetworkRepository::row, where.args());
    }

    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM networks n JOIN data_center z ON z.id = n.data_center_id"
                + " JOIN domain d ON d.id = n.domain_id JOIN network_offering o ON o.id = n.network_offering_id"
                + where.sql(), where.args());
    }

    private static GuestNetwork row(ResultSet rs) throws SQLException {
        long vlanId = rs.getLong("vlan_id");
        Integer vlan = rs.wasNull() ? null : (int) vlanId;
        return new GuestNetwork(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"),
                rs.getString("display_text"),
                new GuestNetwork.Ref(rs.getLong("zone_id"), rs.getString("zone_uuid"), rs.getString("zone_name")),
                new GuestNetwork.Ref(rs.getLong("domain_id"), rs.getString("domain_uuid"), rs.getString("domain_path")),
                new GuestNetwork.Ref(rs.getLong("offering_id"), rs.getString("offering_uuid"),
                        rs.getString("offering_name")),
                rs.getString("gateway"), rs.getString("netmask"), rs.getString("ip4_start"), rs.getString("ip4_end"),
                rs.getString("dns1"), rs.getString("dns2"), vlan, rs.getString("bridge"),
                rs.getString("uplink"), rs.getString("network_domain"), rs.getString("acl_type"), rs.getString("state"),
                Jdbc.instant(rs, "created"), rs.getString("ip6_cidr") == null ? null
                : new GuestNetwork.Ipv6(rs.getString("ip6_cidr"), rs.getString("ip6_gateway")));
    }
}
