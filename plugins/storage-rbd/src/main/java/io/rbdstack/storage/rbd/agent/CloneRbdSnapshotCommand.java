package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Make {@code newImage} with the content of {@code image@snapshot}: a copy-on-write clone of the (protected)
 * snapshot, and with {@code flatten} also flattened so that it does not depend on the snapshot. Answered with
 * the new image ({@link RbdImageAnswer}).
 */
@JsonTypeName("rbd.cloneSnapshot")
public record CloneRbdSnapshotCommand(RbdPool pool, String image, String snapshot, String newImage, boolean flatten)
        implements AgentCommand {
}
