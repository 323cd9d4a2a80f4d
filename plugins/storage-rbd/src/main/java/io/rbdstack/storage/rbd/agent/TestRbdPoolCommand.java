package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Before a pool is saved: can this host reach it? Connect with the user's key, find the Ceph pool,
 * prove the user can write (create and remove a probe object), and check that libvirt has the RBD
 * storage backend. Answered by {@link TestRbdPoolAnswer}.
 */
@JsonTypeName("rbd.testPool")
public record TestRbdPoolCommand(RbdPool pool) implements AgentCommand {

    /** Safe to send to another host after a lost one: a probe that leaves nothing behind. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
