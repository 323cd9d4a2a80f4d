package io.rbdstack.agent.testplugin;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import java.util.List;

/** The test plugin's messages, found by the server's and the agent's codecs on the test class path. */
public final class TestPluginMessages implements AgentMessageTypes {

    @Override
    public List<Class<? extends AgentCommand>> commands() {
        return List.of(ReverseTextCommand.class);
    }

    @Override
    public List<Class<? extends Answer>> answers() {
        return List.of(ReversedTextAnswer.class);
    }
}
