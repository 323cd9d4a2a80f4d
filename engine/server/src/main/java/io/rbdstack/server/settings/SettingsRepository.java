package io.rbdstack.server.settings;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code configuration} table: declared settings with their current values. */
public final class SettingsRepository {

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

    /** Adds declared settings missing from the table and refreshes their description and default. */
    public void declare(List<Setting> settings) {
        for (Setting s : settings) {
            declared.put(s.name(), s);
            jdbc.update("INSERT INTO configuration (name, category, value, default_value, type, scope, description)"
                            + " VALUES (?, ?, ?, ?, ?, 'Global', ?) ON DUPLICATE KEY UPDATE category = VALUES(category),"
                            + " default_value = VALUES(default_value), type = VALUES(type), description = VALUES(description)",
                    s.name(), s.category(), s.defaultValue(), s.defaultValue(), s.type().name(), s.description());
        }
    }

    public String value(Setting setting) {
        return value(setting.name()).orElse(setting.defaultValue());
    }

    /** The stored value of the setting named {@code name}; empty when there is no row or no value. */
    public Optional<String> value(String name) {
        return jdbc.queryOne("SELECT value FROM configuration WHERE name = ?",
                rs -> Optional.ofNullable(rs.getString(1)), name).flatMap(v -> v);
    }

    /** An INTEGER setting's value; the default when the stored value is not a number (it was checked on update). */
    public long longValue(Setting setting) {
        try {
            return Long.parseLong(value(setting).trim());
        } catch (NumberFormatException e) {
            return Long.parseLong(setting.defaultValue());
        }
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
                        rs.getString("description"), true),
                name.orElse(null), name.orElse(null), category.orElse(null), category.orElse(null),
                keyword.orElse(null), keyword.map(k -> "%" + k + "%").orElse(null));
    }

    public long count(Optional<String> name, Optional<String> category, Optional<String> keyword) {
        return jdbc.queryLong("SELECT COUNT(*) FROM configuration WHERE (? IS NULL OR name = ?)"
                        + " AND (? IS NULL OR category = ?) AND (? IS NULL OR name LIKE ?)",
                name.orElse(null), name.orElse(null), category.orElse(null), category.orElse(null),
                keyword.orElse(null), keyword.map(k -> "%" + k + "%").orElse(null));
    }

    /** Sets a declared setting after checking the value's type; 431 for unknown names or bad values. */
    public void update(String name, String value) {
        Setting setting = Optional.ofNullable(declared.get(name))
                .orElseThrow(() -> ApiException.invalidParameter("Invalid value '" + name
                        + "' for parameter name: no such configuration setting"));
        String problem = setting.type().problem(value);
        if (problem != null) {
            throw ApiException.invalidParameter("Invalid value '" + value + "' for parameter value: " + name + " " + problem);
        }
        jdbc.update("UPDATE configuration SET value = ?, updated = ? WHERE name = ?", value, Instant.now(), name);
    }
}
