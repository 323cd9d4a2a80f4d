package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Make {@code newImage} a copy-on-write clone of {@code image@snapshot} (a template's base), grown to
 * {@code sizeBytes} when larger. Answered with the new image ({@link RbdImageAnswer}).
 */
@JsonTypeName("rbd.cloneTemplate")
public record CloneRbdTemplateCommand(RbdPool pool, String image, String snapshot, String newImage, long sizeBytes)
        implements AgentCommand {

    /** Safe to send to another host after a lost one: a clone already made is kept and only grown. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
