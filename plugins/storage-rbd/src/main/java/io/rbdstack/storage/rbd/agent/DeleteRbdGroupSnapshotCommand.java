package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Delete {@code group@snapshot} and its image snapshots; an absent one is fine. Answered by {@code generic}. */
@JsonTypeName("rbd.groupSnapshotDelete")
public record DeleteRbdGroupSnapshotCommand(RbdPool pool, String group, String snapshot) implements AgentCommand {
}
