package io.rbdstack.spi.agent;

/**
 * For tests and diagnostics: the agent waits {@code delayMillis}, then answers with an
 * {@link EchoAnswer} carrying the same text.
 */
public record EchoCommand(String text, long delayMillis) implements AgentCommand {

    public EchoCommand {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must not be negative");
        }
    }
}
