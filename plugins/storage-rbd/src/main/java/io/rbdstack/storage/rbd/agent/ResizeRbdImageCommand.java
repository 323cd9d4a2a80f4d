package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Grow an image; shrinking is refused. Answered by {@link RbdImageAnswer}. */
@JsonTypeName("rbd.resizeImage")
public record ResizeRbdImageCommand(RbdPool pool, String image, long newSizeBytes) implements AgentCommand {

    /** Safe to send to another host after a lost one: growing to a size the image already has changes nothing. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
