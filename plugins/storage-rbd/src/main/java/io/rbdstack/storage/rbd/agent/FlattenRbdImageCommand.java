package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Copy into clone {@code image} what it shares with its parent, so it depends on it no longer. */
@JsonTypeName("rbd.flattenImage")
public record FlattenRbdImageCommand(RbdPool pool, String image) implements AgentCommand {

    /** Safe to send to another host after a lost one: flattening a flattened image changes nothing. */
    @Override
    public boolean retrySafe() {
        return true;
    }

    /** Copies every object the clone still shares with its parent. */
    @Override
    public boolean transfer() {
        return true;
    }
}
