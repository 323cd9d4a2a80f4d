package io.rbdstack.spi.agent.handler;

import java.util.List;

/**
 * A module's entry point on the agent, found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory}): makes the
 * handlers of the commands the module runs, once, when the agent starts. The commands themselves
 * join the protocol through {@link io.rbdstack.spi.agent.AgentMessageTypes}.
 */
public interface AgentCommandHandlerFactory {

    List<AgentCommandHandler<?>> create(AgentContext context);
}
