package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * A command the agent did not run because it is stopping (SIGTERM): nothing of it was done, so the
 * server may send it to another host whether or not it is safe to run twice.
 */
@JsonTypeName("stopping")
public record StoppingAnswer(boolean success, String details) implements Answer {

    public StoppingAnswer {
        if (success) {
            throw new IllegalArgumentException("a stopping answer is never a success");
        }
    }

    public static StoppingAnswer of(String details) {
        return new StoppingAnswer(false, details);
    }
}
