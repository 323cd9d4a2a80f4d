package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/** Whether an image exists (outside the trash) and its size; answered with {@link RbdImageStateAnswer}. */
@JsonTypeName("rbd.describeImage")
public record DescribeRbdImageCommand(RbdPool pool, String image) implements AgentCommand {

    /** Safe to send to another host after a lost one: it only reads. */
    @Override
    public boolean retrySafe() {
        return true;
    }
}
