package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Removes from the pool's RBD trash an image deleted with a deferral, if its deferral has passed.
 * An image no longer in the trash is already purged. Answered with {@link PurgeRbdImageAnswer}.
 */
@JsonTypeName("rbd.purgeImage")
public record PurgeRbdImageCommand(RbdPool pool, String image) implements AgentCommand {

    /** Safe to send to another host after a lost one: an image no longer in the trash counts as purged. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
