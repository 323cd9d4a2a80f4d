package io.rbdstack.spi.agent;

/** Agent → server heartbeat, once per heartbeat interval; the sequence counts up from 1 per connection. */
public record Ping(long sequence) implements AgentMessage {
}
