package io.rbdstack.server.storage;

import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.storage.OptionValues;
import io.rbdstack.spi.storage.ProviderOption;
import io.rbdstack.spi.storage.StorageProviderFactory;
import java.util.List;
import java.util.Locale;

/**
 * Storage plugin options as global settings: each option a plugin declares becomes a row of the
 * {@code configuration} table under its own name (listConfigurations shows it, updateConfiguration
 * sets it), and the plugin reads the current value through {@link #values()} at each use.
 */
public final class ProviderOptionSettings {

    private final SettingsRepository settings;

    public ProviderOptionSettings(SettingsRepository settings) {
        this.settings = settings;
    }

    /** Declares the plugin's options as settings. */
    public void declare(StorageProviderFactory factory) {
        settings.declare(settingsOf(factory));
    }

    /** Live values from the configuration table. */
    public OptionValues values() {
        return settings::value;
    }

    /**
     * The option as a setting with the option's own type and range. It is dynamic: providers read
     * options through {@code ProviderContext} at each use, as the SPI requires.
     */
    static Setting setting(String plugin, ProviderOption option) {
        return new Setting(option.name(), "Storage", option.type(), option.defaultValue(), true,
                option.help() + " (storage plugin " + plugin + ")");
    }

    /** The settings a plugin's options become. */
    static List<Setting> settingsOf(StorageProviderFactory factory) {
        String plugin = factory.name().toUpperCase(Locale.ROOT);
        return factory.options().stream().map(o -> setting(plugin, o)).toList();
    }
}
