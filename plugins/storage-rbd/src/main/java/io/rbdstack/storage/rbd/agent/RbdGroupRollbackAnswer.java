package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** A group rollback's outcome; {@code inUse} when it was refused because a client has an image open for writing. */
@JsonTypeName("rbd.groupRollback")
public record RbdGroupRollbackAnswer(boolean success, String details, boolean inUse) implements Answer {
}
