package io.rbdstack.spi.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.util.List;
import java.util.Optional;

/**
 * The agent commands and answers one module adds to the protocol, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.rbdstack.spi.agent.AgentMessageTypes}).
 * Each class names its wire type once, with {@link JsonTypeName}; the codec registers every
 * contributed class when it is built. So a storage plugin or the hypervisor code adds messages
 * without editing this SPI, and this module names none of them.
 */
public interface AgentMessageTypes {

    List<Class<? extends AgentCommand>> commands();

    List<Class<? extends Answer>> answers();

    /** The wire name a message class declares with {@link JsonTypeName}, if it declares one. */
    static Optional<String> wireName(Class<?> type) {
        JsonTypeName name = type.getAnnotation(JsonTypeName.class);
        return name == null || name.value().isEmpty() ? Optional.empty() : Optional.of(name.value());
    }
}
