package io.rbdstack.spi.agent.rbd;

import io.rbdstack.spi.agent.AgentCommand;

/** Grow an image; shrinking is refused. Answered by {@link RbdImageAnswer}. */
public record ResizeRbdImageCommand(RbdPool pool, String image, long newSizeBytes) implements AgentCommand {
}
