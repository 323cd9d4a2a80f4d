package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** A template delete's outcome; {@code inUse} when clones still depend on the template. */
@JsonTypeName("rbd.templateDelete")
public record RbdTemplateDeleteAnswer(boolean success, String details, boolean inUse) implements Answer {
}
