package io.rbdstack.spi.agent.dhcp;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import java.util.List;

/**
 * The whole DHCPv6 state of one guest network on this host, replacing what the host had for it
 * (idempotent; a reservation left out is gone). {@code bridge} is the interface DHCPv6 and router
 * advertisements are served on, {@code prefix} the network's /64 and {@code gateway} its router.
 * {@code pool} and {@code pdPool} are null when there is none. {@code macSources} are Kea's
 * (e.g. ["duid"]): where it learns a client's MAC. {@code controlSocket} (the server's
 * {@code dhcpv6.kea.control.socket}) is the path of Kea's control socket on the host, unless the
 * host's agent.properties names its own; {@code leaseDatabaseType} ({@code dhcpv6.lease.database.type})
 * Kea's lease store. Null for either means the agent's own. Answered by {@link DhcpNetworkAnswer}.
 */
@JsonTypeName("dhcp.applyNetwork")
public record ApplyDhcpNetworkCommand(String networkUuid, String bridge, String prefix, String gateway,
                                      DhcpPool pool, DhcpPdPool pdPool, DhcpLifetimes lifetimes,
                                      List<String> macSources, List<DhcpReservation> reservations,
                                      String controlSocket, String leaseDatabaseType)
        implements AgentCommand {

    public ApplyDhcpNetworkCommand {
        macSources = macSources == null ? List.of() : List.copyOf(macSources);
        reservations = reservations == null ? List.of() : List.copyOf(reservations);
    }

    /** A network with the agent's own control socket and lease store. */
    public ApplyDhcpNetworkCommand(String networkUuid, String bridge, String prefix, String gateway, DhcpPool pool,
                                   DhcpPdPool pdPool, DhcpLifetimes lifetimes, List<String> macSources,
                                   List<DhcpReservation> reservations) {
        this(networkUuid, bridge, prefix, gateway, pool, pdPool, lifetimes, macSources, reservations, null, null);
    }
}
