package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.DataAccessException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.net.Eui64;
import io.rbdstack.spi.net.Ipv6Cidr;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * {@link GuestNics} on the {@code nics} table. An allocation locks the zone's row first (the MAC sequence
 * lives there), so allocations in a zone never deadlock on each other's network rows and never hand out
 * one address twice. On a dual-stack network a NIC also gets its EUI-64 address in the network's /64.
 */
public final class DbGuestNics implements GuestNics {

    private static final String SELECT = "SELECT c.uuid, c.instance_id, c.device_id, c.is_default, c.mac_address,"
            + " c.ip4_address, c.netmask, c.gateway, c.ip6_address, c.ip6_cidr, c.ip6_gateway, c.broadcast_uri,"
            + " w.uuid AS network_uuid, w.name AS network_name, w.vlan_id, w.bridge, w.uplink"
            + " FROM nics c JOIN networks w ON w.id = c.network_id";

    private final Jdbc jdbc;
    private final NetworkRepository networks;
    private final MacAllocator macs;
    private final Ipv4Allocator addresses;
    private final List<LongConsumer> placementListeners = new CopyOnWriteArrayList<>();

    public DbGuestNics(Jdbc jdbc, NetworkRepository networks, SettingsRepository settings) {
        this.jdbc = jdbc;
        this.networks = networks;
        this.macs = new MacAllocator(jdbc, settings);
        this.addresses = new Ipv4Allocator(jdbc);
    }

    @Override
    public List<GuestNic> allocate(long vmId, long zoneId, long accountId, List<NicRequest> requests) {
        try {
            return jdbc.inTransaction(() -> {
                String zoneName = jdbc.queryOne("SELECT name FROM data_center WHERE id = ? AND removed IS NULL"
                        + " FOR UPDATE", rs -> rs.getString(1), zoneId).orElseThrow(() -> ApiException.invalidParameter(
                        "The zone was deleted meanwhile (parameter zoneid)"));
                String accountDomain = jdbc.queryOne("SELECT d.path FROM account a JOIN domain d ON d.id = a.domain_id"
                        + " WHERE a.id = ?", rs -> rs.getString(1), accountId).orElseThrow();
                int device = (int) jdbc.queryLong("SELECT COALESCE(MAX(device_id) + 1, 0) FROM nics"
                        + " WHERE instance_id = ? AND removed IS NULL", vmId);
                boolean hasDefault = jdbc.queryLong("SELECT COUNT(*) FROM nics WHERE instance_id = ?"
                        + " AND removed IS NULL AND is_default = 1", vmId) > 0;
                List<Long> ids = new ArrayList<>();
                for (NicRequest request : requests) {
                    GuestNetwork network = usableNetwork(request, zoneId, zoneName, accountDomain);
                    String mac = request.macAddress() == null ? macs.next(zoneId, zoneName)
                            : macs.given(zoneId, zoneName, request.macAddress(), request.macParameter());
                    String ip = addresses.allocate(network, request.ip4Address(), request.ipParameter());
                    // A dual-stack network's NIC gets the address SLAAC would give it, which Kea then reserves.
                    String ip6 = network.dualStack() ? Eui64.address(Eui64.macBytes(mac),
                            Ipv6Cidr.parse(network.ipv6().cidr())) : null;
                    ids.add(jdbc.insert("INSERT INTO nics (uuid, instance_id, network_id, data_center_id, mac_address,"
                                    + " ip4_address, gateway, netmask, ip6_address, ip6_cidr, ip6_gateway, broadcast_uri,"
                                    + " device_id, is_default, state, created)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Allocated', ?)",
                            UUID.randomUUID().toString(), vmId, network.id(), zoneId, mac, ip, network.gateway(),
                            network.netmask(), ip6, ip6 == null ? null : network.ipv6().cidr(),
                            ip6 == null ? null : network.ipv6().gateway(), network.broadcastUri(), device++,
                            !hasDefault && ids.isEmpty(), Instant.now()));
                }
                Where where = Where.of("c.removed IS NULL").andIn("c.id", ids);
                return jdbc.query(SELECT + where.sql() + " ORDER BY c.device_id", DbGuestNics::row, where.args());
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DataAccessException("NIC allocation failed", e);
        }
    }

    /** The request's network, live, in the VM's zone and serving the account's domain; else 431 or 531. */
    private GuestNetwork usableNetwork(NicRequest request, long zoneId, String zoneName, String accountDomain) {
        GuestNetwork network = networks.lockLive(request.networkUuid()).orElseThrow(() ->
                ApiException.invalidParameter("Invalid value '" + request.networkUuid() + "' for parameter "
                        + request.parameter() + ": no such network (it may have been deleted)"));
        if (network.zone().id() != zoneId) {
            throw ApiException.invalidParameter("Invalid value '" + request.networkUuid() + "' for parameter "
                    + request.parameter() + ": network " + network.name() + " is in zone " + network.zone().name()
                    + ", not in the VM's zone " + zoneName);
        }
        if (!accountDomain.startsWith(network.domain().name())) {
            throw ApiException.permissionDenied("The account may not use network " + network.name() + " (parameter "
                    + request.parameter() + "): it serves another domain");
        }
        return network;
    }

    /** Called with a VM's id whenever {@link #placementChanged} is (the DHCPv6 sync listens). */
    public void onPlacementChanged(LongConsumer listener) {
        placementListeners.add(listener);
    }

    @Override
    public void placementChanged(long vmId) {
        placementListeners.forEach(listener -> listener.accept(vmId));
    }

    @Override
    public void release(long vmId) {
        jdbc.update("UPDATE nics SET removed = ?, state = 'Deallocating' WHERE instance_id = ? AND removed IS NULL",
                Instant.now(), vmId);
    }

    @Override
    public void remove(long vmId, String nicUuid) {
        if (jdbc.update("UPDATE nics SET removed = ?, state = 'Deallocating' WHERE instance_id = ? AND uuid = ?"
                + " AND removed IS NULL", Instant.now(), vmId, nicUuid) != 1) {
            throw ApiException.invalidParameter("Unable to find a nic with id " + nicUuid + " (parameter nicid)");
        }
    }

    @Override
    public void makeDefault(long vmId, String nicUuid) {
        jdbc.update("UPDATE nics SET is_default = (uuid = ?) WHERE instance_id = ? AND removed IS NULL", nicUuid, vmId);
    }

    @Override
    public Map<Long, List<GuestNic>> nicsOf(Collection<Long> vmIds) {
        Map<Long, List<GuestNic>> byVm = new LinkedHashMap<>();
        if (vmIds.isEmpty()) {
            return byVm;
        }
        Where where = Where.of("c.removed IS NULL").andIn("c.instance_id", List.copyOf(vmIds));
        for (GuestNic nic : jdbc.query(SELECT + where.sql() + " ORDER BY c.instance_id, c.device_id",
                DbGuestNics::row, where.args())) {
            byVm.computeIfAbsent(nic.vmId(), vm -> new ArrayList<>()).add(nic);
        }
        return byVm;
    }

    private static GuestNic row(ResultSet rs) throws SQLException {
        long vlanId = rs.getLong("vlan_id");
        Integer vlan = rs.wasNull() ? null : (int) vlanId;
        return new GuestNic(rs.getString("uuid"), rs.getLong("instance_id"), rs.getString("network_uuid"),
                rs.getString("network_name"), rs.getInt("device_id"), rs.getBoolean("is_default"),
                rs.getString("mac_address"), rs.getString("ip4_address"), rs.getString("netmask"),
                rs.getString("gateway"), rs.getString("ip6_address"), rs.getString("ip6_cidr"),
                rs.getString("ip6_gateway"), rs.getString("broadcast_uri"), vlan, rs.getString("bridge"),
                rs.getString("uplink"));
    }
}
