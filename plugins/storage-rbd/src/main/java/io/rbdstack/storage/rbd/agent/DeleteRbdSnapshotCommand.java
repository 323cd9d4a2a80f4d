package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Delete a snapshot (unprotecting it first); an absent image or snapshot is not an error. */
@JsonTypeName("rbd.deleteSnapshot")
public record DeleteRbdSnapshotCommand(RbdPool pool, String image, String snapshot) implements AgentCommand {

    /** Safe to send to another host after a lost one: a snapshot already gone is answered as deleted. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
