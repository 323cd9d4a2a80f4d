package io.rbdstack.spi.agent;

import java.util.List;

/** The commands and answers every agent speaks, contributed like any module's. */
public final class CoreMessageTypes implements AgentMessageTypes {

    @Override
    public List<Class<? extends AgentCommand>> commands() {
        return List.of(ReadyCommand.class, EchoCommand.class);
    }

    @Override
    public List<Class<? extends Answer>> answers() {
        return List.of(GenericAnswer.class, ReadyAnswer.class, EchoAnswer.class);
    }
}
