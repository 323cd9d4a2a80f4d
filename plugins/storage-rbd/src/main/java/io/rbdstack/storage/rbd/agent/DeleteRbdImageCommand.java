package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Delete an image and its snapshots. With {@code deferSeconds} &gt; 0 it is moved to the RBD trash
 * to be purged after that delay instead. An absent image is not an error.
 */
@JsonTypeName("rbd.deleteImage")
public record DeleteRbdImageCommand(RbdPool pool, String image, long deferSeconds) implements AgentCommand {

    /**
     * Safe to send to another host after a lost one: an image already gone (or already in the trash) is answered as
     * deleted.
     */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
