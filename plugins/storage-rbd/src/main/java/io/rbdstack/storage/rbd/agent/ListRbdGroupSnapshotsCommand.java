package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** The snapshots of {@code group} (none when there is no such group). Answered by {@link RbdGroupSnapshotsAnswer}. */
@JsonTypeName("rbd.groupSnapshotList")
public record ListRbdGroupSnapshotsCommand(RbdPool pool, String group) implements AgentCommand {

    /** Safe to send to another host after a lost one: it only reads. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
