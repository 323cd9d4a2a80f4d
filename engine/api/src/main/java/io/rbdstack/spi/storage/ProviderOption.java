package io.rbdstack.spi.storage;

/** One option of a storage provider, declared once: name, default value and help. */
public record ProviderOption(String name, String defaultValue, String help) {
}
