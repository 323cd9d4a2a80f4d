package io.rbdstack.spi.agent.dhcp;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import java.util.List;

/** The DHCPv6 messages: the engine's network code sends them, the agent of a host serving a network runs them. */
public final class DhcpMessageTypes implements AgentMessageTypes {

    @Override
    public List<Class<? extends AgentCommand>> commands() {
        return List.of(ApplyDhcpNetworkCommand.class, RemoveDhcpNetworkCommand.class, ServeDhcpNetworksCommand.class);
    }

    @Override
    public List<Class<? extends Answer>> answers() {
        return List.of(DhcpNetworkAnswer.class);
    }
}
