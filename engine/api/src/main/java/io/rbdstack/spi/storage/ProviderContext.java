package io.rbdstack.spi.storage;

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

    /** The option's current value, or its default when none is set. */
    public String option(ProviderOption option) {
        return options.value(option.name()).orElse(option.defaultValue());
    }
}
