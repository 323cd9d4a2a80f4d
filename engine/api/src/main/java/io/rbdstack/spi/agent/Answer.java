package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An agent's answer to an {@link AgentCommand}. Adding one takes one record carrying its wire name
 * ({@code @JsonTypeName}), listed by its module's {@link AgentMessageTypes}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "answer")
public interface Answer {

    boolean success();

    /** Why the command failed (null or empty when it succeeded). */
    String details();
}
