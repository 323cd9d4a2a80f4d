package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Roll {@code image} back to {@code snapshot}; answered with the image as it is then ({@link RbdImageAnswer}). */
@JsonTypeName("rbd.rollbackSnapshot")
public record RollbackRbdSnapshotCommand(RbdPool pool, String image, String snapshot) implements AgentCommand {

    /**
     * Safe to send to another host after a lost one: a half-done rollback is finished by the next one; the image ends
     * as the snapshot.
     */
    @Override
    public boolean retrySafe() {
        return true;
    }

    /** Rewrites every object that changed since the snapshot. */
    @Override
    public boolean transfer() {
        return true;
    }
}
