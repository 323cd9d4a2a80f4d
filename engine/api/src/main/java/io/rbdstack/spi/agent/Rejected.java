package io.rbdstack.spi.agent;

/** Server → agent: the hello was refused; the server closes the connection after sending it. */
public record Rejected(String reason) implements AgentMessage {
}
