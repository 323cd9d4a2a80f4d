package io.rbdstack.spi.storage;

import io.rbdstack.spi.ValueType;
import java.util.Map;
import java.util.Objects;

/** What the engine gives a provider: its option values and a way to reach the hosts' agents. */
public record ProviderContext(OptionValues options, HostGateway hosts) {

    public ProviderContext {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(hosts, "hosts");
    }

    /** Fixed option values (tests, tools). */
    public ProviderContext(Map<String, String> options, HostGateway hosts) {
        this(OptionValues.of(options), hosts);
    }

    /**
     * The option's current value, or its default when none is set or the stored one is no longer
     * allowed (set before the option's range was declared, say).
     */
    public String option(ProviderOption option) {
        return options.value(option.name()).filter(option.type()::accepts).orElse(option.defaultValue());
    }

    /** A whole-number option's current value (see {@link #option}). */
    public long wholeNumber(ProviderOption option) {
        if (!(option.type() instanceof ValueType.WholeNumber)) {
            throw new IllegalArgumentException("Option " + option.name() + " is not a whole number");
        }
        return Long.parseLong(option(option));
    }
}
