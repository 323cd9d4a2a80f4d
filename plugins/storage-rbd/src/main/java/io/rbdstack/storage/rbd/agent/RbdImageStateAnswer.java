package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** What {@link DescribeRbdImageCommand} found: whether the image exists, and if so its size in bytes. */
@JsonTypeName("rbd.imageState")
public record RbdImageStateAnswer(boolean success, String details, boolean exists, long sizeBytes) implements Answer {

    public static RbdImageStateAnswer failed(String details) {
        return new RbdImageStateAnswer(false, details, false, 0);
    }
}
