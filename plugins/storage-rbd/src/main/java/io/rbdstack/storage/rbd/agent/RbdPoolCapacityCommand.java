package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** The pool's capacity from Ceph's pool statistics and quota. Answered by {@link RbdPoolCapacityAnswer}. */
@JsonTypeName("rbd.poolCapacity")
public record RbdPoolCapacityCommand(RbdPool pool) implements AgentCommand {

    /** Safe to send to another host after a lost one: it only reads. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
