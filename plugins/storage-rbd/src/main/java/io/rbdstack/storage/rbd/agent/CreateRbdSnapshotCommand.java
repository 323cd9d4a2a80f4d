package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Take snapshot {@code snapshot} of {@code image}; one of that name already there counts as taken. */
@JsonTypeName("rbd.createSnapshot")
public record CreateRbdSnapshotCommand(RbdPool pool, String image, String snapshot) implements AgentCommand {

    /** Safe to send to another host after a lost one: a snapshot of that name already there is answered as taken. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
