package io.rbdstack.agent.testplugin;

import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.handler.AgentCommandHandlerFactory;
import io.rbdstack.spi.agent.handler.AgentContext;
import java.util.List;

/** The test plugin's handler, found by the agent on the test class path. */
public final class TestPluginHandlers implements AgentCommandHandlerFactory {

    @Override
    public List<AgentCommandHandler<?>> create(AgentContext context) {
        return List.of(AgentCommandHandler.of(ReverseTextCommand.class, command -> new ReversedTextAnswer(true, null,
                new StringBuilder(command.text()).reverse().toString(), context.hostname())));
    }
}
