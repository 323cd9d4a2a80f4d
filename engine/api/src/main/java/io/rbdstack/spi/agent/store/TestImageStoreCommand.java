package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Can this host use the image store at {@code url} (reach it, write to it)? Answered with
 * {@link ImageStoreAnswer}, which also carries its capacity.
 */
@JsonTypeName("store.test")
public record TestImageStoreCommand(String url) implements AgentCommand {
}
