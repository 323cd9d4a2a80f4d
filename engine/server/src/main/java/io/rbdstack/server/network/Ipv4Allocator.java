package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.infra.Ipv4;
import java.util.HashSet;
import java.util.Set;

/**
 * IPv4 addresses of guest NICs from their network's range: the lowest free one, or the one the caller
 * asked for if it is in the range and free. The caller holds the network's row lock, so two allocations on
 * one network are made one after the other; a removed NIC's address is free again.
 */
final class Ipv4Allocator {

    private final Jdbc jdbc;

    Ipv4Allocator(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The address for a new NIC on {@code network}: {@code given} when not null, else the lowest free one. */
    String allocate(GuestNetwork network, String given, String param) {
        GuestSubnet subnet = network.subnet();
        Set<Long> taken = new HashSet<>();
        jdbc.query("SELECT ip4_address FROM nics WHERE network_id = ? AND removed IS NULL AND ip4_address IS NOT NULL",
                rs -> taken.add(Ipv4.parse(rs.getString(1), "ip4_address")), network.id());
        if (given != null) {
            long address = Ipv4.parse(given.trim(), param);
            if (!subnet.inRange(address)) {
                throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter " + param + ": not in"
                        + " the range " + network.ip4Start() + "-" + network.ip4End() + " of network " + network.name());
            }
            if (taken.contains(address)) {
                throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter " + param + ": the"
                        + " address is already used by a NIC on network " + network.name());
            }
            return Ipv4.format(address);
        }
        long free = subnet.firstFree(taken).orElseThrow(() -> ApiException.insufficientCapacity(
                "Insufficient address capacity: network " + network.name() + " has no free IPv4 address left in its"
                        + " range " + network.ip4Start() + "-" + network.ip4End() + " (" + subnet.size()
                        + " address(es), all in use)"));
        return Ipv4.format(free);
    }
}
