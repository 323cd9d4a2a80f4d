package io.rbdstack.spi.agent.dhcp;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import java.util.List;

/**
 * Every network this host must serve, each as its {@code dhcp.applyNetwork}: the host serves exactly
 * these afterwards. Whatever else it serves, or finds left on the host by an earlier agent (a Kea subnet,
 * a bridge's gateway address, a carrier keeper), is removed. Sent when the host's agent connects.
 * Answered by {@link DhcpNetworkAnswer} ({@code networks} served, {@code reservations} in all).
 */
@JsonTypeName("dhcp.serveNetworks")
public record ServeDhcpNetworksCommand(List<ApplyDhcpNetworkCommand> networks) implements AgentCommand {

    public ServeDhcpNetworksCommand {
        networks = networks == null ? List.of() : List.copyOf(networks);
    }
}
