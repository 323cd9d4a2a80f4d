package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Create an RBD format-2 image with layering, exclusive-lock, object-map, fast-diff and
 * deep-flatten. Answered by {@link RbdImageAnswer}.
 */
@JsonTypeName("rbd.createImage")
public record CreateRbdImageCommand(RbdPool pool, String image, long sizeBytes) implements AgentCommand {
}
