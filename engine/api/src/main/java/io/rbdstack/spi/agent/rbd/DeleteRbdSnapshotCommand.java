package io.rbdstack.spi.agent.rbd;

import io.rbdstack.spi.agent.AgentCommand;

/** Delete a snapshot (unprotecting it first); an absent image or snapshot is not an error. */
public record DeleteRbdSnapshotCommand(RbdPool pool, String image, String snapshot) implements AgentCommand {
}
