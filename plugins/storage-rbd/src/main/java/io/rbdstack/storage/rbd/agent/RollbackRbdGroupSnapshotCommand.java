package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Roll every image of {@code group} back to {@code group@snapshot}; refused while a client (a running VM) has
 * one of them open for writing. Answered by {@link RbdGroupRollbackAnswer}, reporting progress.
 */
@JsonTypeName("rbd.groupSnapshotRollback")
public record RollbackRbdGroupSnapshotCommand(RbdPool pool, String group, String snapshot) implements AgentCommand {

    /** Safe to send to another host after a lost one: a half-done rollback is finished by the next one. */
    @Override
    public boolean retrySafe() {
        return true;
    }

    /** Rewrites every object of each volume that changed since the snapshot. */
    @Override
    public boolean transfer() {
        return true;
    }
}
