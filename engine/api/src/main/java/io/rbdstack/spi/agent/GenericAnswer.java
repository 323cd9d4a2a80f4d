package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;

/** An answer with nothing but the outcome; also what a command that threw becomes. */
@JsonTypeName("generic")
public record GenericAnswer(boolean success, String details) implements Answer {

    public static GenericAnswer ok() {
        return new GenericAnswer(true, null);
    }

    public static GenericAnswer failure(String details) {
        return new GenericAnswer(false, details);
    }
}
