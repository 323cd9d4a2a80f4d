package io.rbdstack.spi.agent;

/**
 * Agent → server, once, when the agent's graceful stop begins (SIGTERM/SIGINT): from now on it runs no new command
 * (each is answered {@link StoppingAnswer}), so the server stops choosing its host until the agent connects again.
 * Commands already running may still answer for up to {@code graceMillis}. A server that does not know this message
 * ignores it (an unreadable line without a request id) and learns of the stop from the first refusal instead.
 */
public record StoppingNotice(long graceMillis) implements AgentMessage {
}
