package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/**
 * A {@link DeleteRbdImageCommand}'s outcome; {@code inUse} when Ceph refused because a client still has the
 * image open (EBUSY: e.g. the watch of a killed qemu, until Ceph times it out), so a later try may succeed.
 */
@JsonTypeName("rbd.imageDelete")
public record RbdImageDeleteAnswer(boolean success, String details, boolean inUse) implements Answer {
}
