package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** An image store as a host sees it: usable or not (details say why), and its capacity in bytes. */
@JsonTypeName("store")
public record ImageStoreAnswer(boolean success, String details, long totalBytes, long usedBytes) implements Answer {

    public static ImageStoreAnswer failed(String details) {
        return new ImageStoreAnswer(false, details, 0, 0);
    }
}
