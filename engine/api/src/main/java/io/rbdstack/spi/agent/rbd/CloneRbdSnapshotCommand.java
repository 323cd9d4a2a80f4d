package io.rbdstack.spi.agent.rbd;

import io.rbdstack.spi.agent.AgentCommand;

/**
 * Make {@code newImage} with the content of {@code image@snapshot}: a clone, flattened so that it
 * does not depend on the snapshot. Answered with the new image ({@link RbdImageAnswer}).
 */
public record CloneRbdSnapshotCommand(RbdPool pool, String image, String snapshot, String newImage)
        implements AgentCommand {
}
