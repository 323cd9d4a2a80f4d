package io.rbdstack.spi.agent.rbd;

import io.rbdstack.spi.agent.AgentCommand;

/** The pool's capacity from Ceph's pool statistics and quota. Answered by {@link RbdPoolCapacityAnswer}. */
public record RbdPoolCapacityCommand(RbdPool pool) implements AgentCommand {
}
