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
     * Whether the engine may send this command to another host when the host running it is lost (its
     * connection dropped before the answer came): true only when a part-run on the lost host followed by
     * a whole run elsewhere ends as one run would, and a part-run never looks finished (e.g. a file
     * written under a temporary name and renamed last). Never asked after a timeout, when the command
     * may still be running, nor after an answer, even a failed one. False unless a command declares it,
     * once for its type; not on the wire.
     */
    @JsonIgnore
    default boolean retrySafe() {
        return false;
    }

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
