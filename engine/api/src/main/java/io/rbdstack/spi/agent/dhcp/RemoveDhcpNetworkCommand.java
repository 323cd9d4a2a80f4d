package io.rbdstack.spi.agent.dhcp;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Stops serving a network's DHCPv6 and router advertisements on this host (a network it does not serve
 * is fine). Answered by {@link DhcpNetworkAnswer}.
 */
@JsonTypeName("dhcp.removeNetwork")
public record RemoveDhcpNetworkCommand(String networkUuid) implements AgentCommand {
}
