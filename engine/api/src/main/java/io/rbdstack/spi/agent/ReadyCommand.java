package io.rbdstack.spi.agent;

/** Asks the agent whether it is ready for work; answered by a {@link ReadyAnswer}. */
public record ReadyCommand() implements AgentCommand {
}
