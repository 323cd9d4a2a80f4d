package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;

/** Asks the agent whether it is ready for work; answered by a {@link ReadyAnswer}. */
@JsonTypeName("ready")
public record ReadyCommand() implements AgentCommand {
}
