package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Delete {@code group@snapshot} and its image snapshots; an absent one is fine. Answered by {@code generic}. */
@JsonTypeName("rbd.groupSnapshotDelete")
public record DeleteRbdGroupSnapshotCommand(RbdPool pool, String group, String snapshot) implements AgentCommand {

    /** Safe to send to another host after a lost one: a group snapshot already gone is answered as deleted. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
