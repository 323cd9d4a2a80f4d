package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** A snapshot as it is after the command: its name and the image's size when it was taken. */
@JsonTypeName("rbd.snapshot")
public record RbdSnapshotAnswer(boolean success, String details, String snapshot, long sizeBytes) implements Answer {
}
