package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * For tests and diagnostics: the agent waits {@code delayMillis}, then answers with an
 * {@link EchoAnswer} carrying the same text.
 */
@JsonTypeName("echo")
public record EchoCommand(String text, long delayMillis) implements AgentCommand {

    public EchoCommand {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must not be negative");
        }
    }
}
