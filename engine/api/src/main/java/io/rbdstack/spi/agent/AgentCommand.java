package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Work the management server asks an agent to do. Adding a command takes one record carrying its
 * wire name ({@code @JsonTypeName}), listed by its module's {@link AgentMessageTypes}; nothing
 * here changes. Not sealed, so commands can live in the module they belong to.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "command")
public interface AgentCommand {

    /**
     * Whether this command copies a volume's worth of data (a backup, a restore, a flatten, a template import, a
     * verification): its time grows with the data. Transfers queue for the host's transfer workers (at most
     * {@code concurrent.snapshots.threshold.perhost} at once per host) and run on workers of their own in the agent,
     * so creates, deletes and control commands never wait behind them. Declared here once, by each command type
     * that is one (overriding this); never serialized.
     */
    @JsonIgnore
    default boolean transfer() {
        return false;
    }
}
