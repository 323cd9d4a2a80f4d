package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Delete {@code group} with its snapshots; its images leave it and are kept. An absent group is fine. */
@JsonTypeName("rbd.groupDelete")
public record DeleteRbdGroupCommand(RbdPool pool, String group) implements AgentCommand {

    /** Safe to send to another host after a lost one: a group already gone is answered as deleted. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
