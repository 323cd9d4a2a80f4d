package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;
import java.util.List;

/**
 * A group snapshot as taken: each image with its size when it was taken. {@code invalidRequest} on a failure
 * that was the request's own (an image in another group, no such image, a malformed name).
 */
@JsonTypeName("rbd.groupSnapshot")
public record RbdGroupSnapshotAnswer(boolean success, String details, String group, String snapshot,
                                     List<ImageSize> images, boolean invalidRequest) implements Answer {

    /** One image of the group snapshot and its size then. */
    public record ImageSize(String image, long sizeBytes) {
    }

    public RbdGroupSnapshotAnswer {
        images = images == null ? List.of() : List.copyOf(images);
    }

    public static RbdGroupSnapshotAnswer failed(String details, boolean invalidRequest) {
        return new RbdGroupSnapshotAnswer(false, details, null, null, List.of(), invalidRequest);
    }
}
