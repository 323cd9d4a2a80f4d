package io.rbdstack.agent.dhcp;

import static io.rbdstack.spi.agent.handler.AgentCommandHandler.of;

import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory;
import io.rbdstack.spi.agent.handler.AgentContext;
import java.util.List;

/** The DHCPv6 commands on the KVM agent, run by one {@link DhcpService} from the agent's {@link DhcpSettings}. */
public final class DhcpCommandHandlers implements AgentCommandHandlerFactory {

    @Override
    public List<AgentCommandHandler<?>> create(AgentContext context) {
        DhcpService service = new DhcpService(context.service(DhcpSettings.class));
        service.stopLeftBehindDaemons();
        return handlers(service);
    }

    public static List<AgentCommandHandler<?>> handlers(DhcpService service) {
        return List.of(
                of(ApplyDhcpNetworkCommand.class, service::apply),
                of(RemoveDhcpNetworkCommand.class, service::remove),
                of(ServeDhcpNetworksCommand.class, service::serveOnly));
    }
}
