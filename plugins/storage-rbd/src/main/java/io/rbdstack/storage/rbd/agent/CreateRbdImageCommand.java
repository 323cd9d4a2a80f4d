package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Create an RBD format-2 image with layering, exclusive-lock, object-map, fast-diff and
 * deep-flatten; an image of that name and size already there (no clone) counts as created.
 * Answered by {@link RbdImageAnswer}.
 */
@JsonTypeName("rbd.createImage")
public record CreateRbdImageCommand(RbdPool pool, String image, long sizeBytes) implements AgentCommand {

    /**
     * Safe to send to another host after a lost one: the image is named by the new volume's uuid, and one of that
     * name and size already there is what the lost host made of this create.
     */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
