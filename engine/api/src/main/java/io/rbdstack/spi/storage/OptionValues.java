package io.rbdstack.spi.storage;

import java.util.Map;
import java.util.Optional;

/**
 * Where a provider's option values come from. The engine backs it with its global settings and
 * reads them at each call, so an option changed with updateConfiguration applies to the next
 * storage operation without a restart.
 */
@FunctionalInterface
public interface OptionValues {

    /** The value set for the option named {@code name}; empty means "use the option's default". */
    Optional<String> value(String name);

    /** Fixed values, e.g. for tests. */
    static OptionValues of(Map<String, String> values) {
        Map<String, String> copy = Map.copyOf(values);
        return name -> Optional.ofNullable(copy.get(name));
    }
}
