package io.rbdstack.spi.agent;

/**
 * Agent → server, while a long command runs: how far it is ({@code done} of {@code total}, in the
 * command's unit, bytes for copies). Sent at most about once a second, and once more when done reaches
 * total; the server hands it to whoever waits for the request's answer. A server that does not know the
 * request (answered, timed out) ignores it.
 */
public record Progress(long requestId, long done, long total) implements AgentMessage {
}
