package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Copy into clone {@code image} what it shares with its parent, so it depends on it no longer. */
@JsonTypeName("rbd.flattenImage")
public record FlattenRbdImageCommand(RbdPool pool, String image) implements AgentCommand {

    /** Copies every object the clone still shares with its parent. */
    @Override
    public boolean transfer() {
        return true;
    }
}
