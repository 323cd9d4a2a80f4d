package io.rbdstack.server.settings;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.spi.ValueType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code configuration} table: declared settings with their current values. */
public final class SettingsRepository {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsRepository.class);

    /** A row as listConfigurations shows it. */
    public record ConfigurationView(String name, String category, String value, String defaultvalue, String type,
                                    String scope, String description, Boolean isdynamic) {
    }

    private final Jdbc jdbc;
    /** What updateConfiguration accepts: the engine's settings and the loaded storage plugins' options. */
    private final Map<String, Setting> declared = new ConcurrentHashMap<>();

    public SettingsRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Adds declared settings missing from the table and refreshes their description and default; warns
     * of stored values the setting no longer allows (its readers use the default instead).
     */
    public void declare(List<Setting> settings) {
        for (Setting s : settings) {
            declared.put(s.name(), s);
            jdbc.update("INSERT INTO configuration (name, category, value, default_value, type, scope, description)"
                            + " VALUES (?, ?, ?, ?, ?, 'Global', ?) ON DUPLICATE KEY UPDATE category = VALUES(category),"
                            + " default_value = VALUES(default_value), type = VALUES(type), description = VALUES(description)",
                    s.name(), s.category(), s.defaultValue(), s.defaultValue(), s.type().typeName(), s.description());
            value(s.name()).filter(v -> !s.type().accepts(v)).ifPresent(v -> LOG.warn("Setting {} holds '{}', which"
                    + " {}: the default {} applies until updateConfiguration sets an allowed value", s.name(), v,
                    s.type().problem(v).orElseThrow(), s.defaultValue()));
        }
    }

    /**
     * The setting's value, or its default when none is stored or the stored one is not allowed (kept
     * from before the setting's range was declared, say), so every reader gets an allowed value.
     */
    public String value(Setting setting) {
        return value(setting.name()).filter(setting.type()::accepts).orElse(setting.defaultValue());
    }

    /** The stored value of the setting named {@code name}; empty when there is no row or no value. */
    public Optional<String> value(String name) {
        return jdbc.queryOne("SELECT value FROM configuration WHERE name = ?",
                rs -> Optional.ofNullable(rs.getString(1)), name).flatMap(v -> v);
    }

    /** A whole-number setting's value (see {@link #value(Setting)}). */
    public long longValue(Setting setting) {
        if (!(setting.type() instanceof ValueType.WholeNumber)) {
            throw new IllegalArgumentException("Setting " + setting.name() + " is not a whole number");
        }
        return Long.parseLong(value(setting));
    }

    public boolean bool(Setting setting) {
        return Boolean.parseBoolean(value(setting));
    }

    public List<ConfigurationView> list(Optional<String> name, Optional<String> category, Optional<String> keyword,
                                        String limit) {
        return jdbc.query("SELECT name, category, value, default_value, type, scope, description FROM configuration"
                        + " WHERE (? IS NULL OR name = ?) AND (? IS NULL OR category = ?)"
                        + " AND (? IS NULL OR name LIKE ?) ORDER BY name" + limit,
                rs -> new ConfigurationView(rs.getString("name"), rs.getString("category"), rs.getString("value"),
                        rs.getString("default_value"), rs.getString("type").toLowerCase(), rs.getString("scope"),
                        rs.getString("description"), isDynamic(rs.getString("name"))),
                name.orElse(null), name.orElse(null), category.orElse(null), category.orElse(null),
                keyword.orElse(null), keyword.map(k -> "%" + k + "%").orElse(null));
    }

    public long count(Optional<String> name, Optional<String> category, Optional<String> keyword) {
        return jdbc.queryLong("SELECT COUNT(*) FROM configuration WHERE (? IS NULL OR name = ?)"
                        + " AND (? IS NULL OR category = ?) AND (? IS NULL OR name LIKE ?)",
                name.orElse(null), name.orElse(null), category.orElse(null), category.orElse(null),
                keyword.orElse(null), keyword.map(k -> "%" + k + "%").orElse(null));
    }

    /** Whether a change applies without a restart; false for a row no loaded code declares (a removed plugin's). */
    private boolean isDynamic(String name) {
        Setting setting = declared.get(name);
        return setting != null && setting.dynamic();
    }

    /** Sets a declared setting after checking the value against its type and range; 431 naming both otherwise. */
    public void update(String name, String value) {
        Setting setting = Optional.ofNullable(declared.get(name))
                .orElseThrow(() -> ApiException.invalidParameter("Invalid value '" + name
                        + "' for parameter name: no such configuration setting"));
        setting.checkAllowed(value);
        checkCustomSizeBounds(setting, value);
        jdbc.update("UPDATE configuration SET value = ?, updated = ? WHERE name = ?", value, Instant.now(), name);
    }

    /** The smallest custom size may not pass the largest, or every custom size would be refused. */
    private void checkCustomSizeBounds(Setting setting, String value) {
        long min = setting == Setting.CUSTOM_DISKOFFERING_SIZE_MIN ? Long.parseLong(value)
                : longValue(Setting.CUSTOM_DISKOFFERING_SIZE_MIN);
        long max = setting == Setting.CUSTOM_DISKOFFERING_SIZE_MAX ? Long.parseLong(value)
                : longValue(Setting.CUSTOM_DISKOFFERING_SIZE_MAX);
        if ((setting == Setting.CUSTOM_DISKOFFERING_SIZE_MIN || setting == Setting.CUSTOM_DISKOFFERING_SIZE_MAX)
                && min > max) {
            throw ApiException.invalidParameter("Invalid value '" + value + "' for parameter value: "
                    + Setting.CUSTOM_DISKOFFERING_SIZE_MIN.name() + " (" + min + ") may not exceed "
                    + Setting.CUSTOM_DISKOFFERING_SIZE_MAX.name() + " (" + max + ")");
        }
    }
}
