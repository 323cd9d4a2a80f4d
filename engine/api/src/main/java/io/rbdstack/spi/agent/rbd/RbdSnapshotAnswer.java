package io.rbdstack.spi.agent.rbd;

import io.rbdstack.spi.agent.Answer;

/** A snapshot as it is after the command: its name and the image's size when it was taken. */
public record RbdSnapshotAnswer(boolean success, String details, String snapshot, long sizeBytes) implements Answer {
}
