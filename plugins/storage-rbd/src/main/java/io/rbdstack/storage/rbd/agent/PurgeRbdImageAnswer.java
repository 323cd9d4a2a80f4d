package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/**
 * @param purged                true when the image's data is gone (purged now or before)
 * @param deferredUntilEpochSecond when not purged: when Ceph allows it to be purged
 */
@JsonTypeName("rbd.purgeImage")
public record PurgeRbdImageAnswer(boolean success, String details, boolean purged, long deferredUntilEpochSecond)
        implements Answer {

    public static PurgeRbdImageAnswer failed(String details) {
        return new PurgeRbdImageAnswer(false, details, false, 0);
    }
}
