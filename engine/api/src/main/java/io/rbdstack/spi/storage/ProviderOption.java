package io.rbdstack.spi.storage;

import io.rbdstack.spi.ValueType;
import java.util.Objects;

/**
 * One option of a storage provider, declared once: name, what it allows, default value and help.
 * The engine shows it as a global setting and refuses values its type does not allow; a provider
 * reads it through {@link ProviderContext#option} at each use, so a change applies without a
 * restart.
 */
public record ProviderOption(String name, ValueType type, String defaultValue, String help) {

    public ProviderOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(help, "help");
        if (!type.accepts(defaultValue)) {
            throw new IllegalArgumentException("Default '" + defaultValue + "' of option " + name + " "
                    + type.problem(defaultValue).orElseThrow());
        }
    }
}
