package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** A template's base image after the import: its name, protected snapshot and virtual size. */
@JsonTypeName("rbd.template")
public record RbdTemplateAnswer(boolean success, String details, String image, String snapshot, long sizeBytes)
        implements Answer {

    public static RbdTemplateAnswer failed(String details) {
        return new RbdTemplateAnswer(false, details, null, null, 0);
    }
}
