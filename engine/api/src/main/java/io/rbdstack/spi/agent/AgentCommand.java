package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Work the management server asks an agent to do. Adding a command takes one record carrying its
 * wire name ({@code @JsonTypeName}), listed by its module's {@link AgentMessageTypes}; nothing
 * here changes. Not sealed, so commands can live in the module they belong to.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "command")
public interface AgentCommand {
}
