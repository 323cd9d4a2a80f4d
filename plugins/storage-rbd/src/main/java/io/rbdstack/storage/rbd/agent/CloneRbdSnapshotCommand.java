package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Make {@code newImage} with the content of {@code image@snapshot}: a copy-on-write clone of the (protected)
 * snapshot, left so when {@code linked}, else also flattened so that it does not depend on the snapshot. A
 * message without {@code linked} (an older server's) means a flattened copy, as it always did. Answered with the
 * new image ({@link RbdImageAnswer}).
 */
@JsonTypeName("rbd.cloneSnapshot")
public record CloneRbdSnapshotCommand(RbdPool pool, String image, String snapshot, String newImage, boolean linked)
        implements AgentCommand {

    /** Safe to send to another host after a lost one: a clone already made is kept (and flattened again when asked). */
    @Override
    public boolean retrySafe() {
        return true;
    }

    /** A linked clone is O(1); a flattened copy reads and writes the whole snapshot. */
    @Override
    public boolean transfer() {
        return !linked;
    }
}
