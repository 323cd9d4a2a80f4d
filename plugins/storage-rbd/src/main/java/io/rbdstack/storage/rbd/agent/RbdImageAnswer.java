package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** An image as it is after the command: its name and size in bytes. */
@JsonTypeName("rbd.image")
public record RbdImageAnswer(boolean success, String details, String image, long sizeBytes) implements Answer {
}
