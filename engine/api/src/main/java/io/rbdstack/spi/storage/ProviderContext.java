package io.rbdstack.spi.storage;

import java.util.Map;

/** What the engine gives a provider: its option values and a way to reach the hosts' agents. */
public record ProviderContext(Map<String, String> options, HostGateway hosts) {

    public ProviderContext {
        options = Map.copyOf(options);
    }

    public String option(ProviderOption option) {
        return options.getOrDefault(option.name(), option.defaultValue());
    }
}
