package io.rbdstack.spi.agent;

/** Server → agent: the answer to the {@link Ping} with the same sequence. */
public record Pong(long sequence) implements AgentMessage {
}
