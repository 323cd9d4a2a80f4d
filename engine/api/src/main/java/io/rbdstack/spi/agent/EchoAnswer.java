package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;

/** The answer to an {@link EchoCommand}: the command's text. */
@JsonTypeName("echo")
public record EchoAnswer(boolean success, String details, String text) implements Answer {

    public static EchoAnswer of(String text) {
        return new EchoAnswer(true, null, text);
    }
}
