package io.rbdstack.spi.agent.dhcp;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import java.util.List;

/**
 * The whole DHCPv6 state of one guest network on this host, replacing what the host had for it
 * (idempotent; a reservation left out is gone). {@code bridge} is the interface DHCPv6 and router
 * advertisements are served on, {@code prefix} the network's /64 and {@code gateway} its router.
 * {@code pool} and {@code pdPool} are null when there is none. {@code macSources} are Kea's
 * (e.g. ["duid"]): where it learns a client's MAC. Answered by {@link DhcpNetworkAnswer}.
 */
@JsonTypeName("dhcp.applyNetwork")
public record ApplyDhcpNetworkCommand(String networkUuid, String bridge, String prefix, String gateway,
                                      DhcpPool pool, DhcpPdPool pdPool, DhcpLifetimes lifetimes,
                                      List<String> macSources, List<DhcpReservation> reservations)
        implements AgentCommand {

    public ApplyDhcpNetworkCommand {
        macSources = macSources == null ? List.of() : List.copyOf(macSources);
        reservations = reservations == null ? List.of() : List.copyOf(reservations);
    }
}
