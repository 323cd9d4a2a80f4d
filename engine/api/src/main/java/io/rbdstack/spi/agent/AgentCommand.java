package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Work the management server asks an agent to do. Adding a command takes one record (anywhere in
 * engine/api) and one {@code @JsonSubTypes} entry below. The interface is deliberately not sealed:
 * a sealed one would force every command into this package and add a third place to edit.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "command")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ReadyCommand.class, name = "ready"),
    @JsonSubTypes.Type(value = EchoCommand.class, name = "echo"),
})
public interface AgentCommand {
}
