package io.rbdstack.server.config;

import io.rbdstack.spi.Secret;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** Typed, validated reads from one properties file; every error names the key and the file. */
final class PropertiesFile {

    private final Path path;
    private final Properties properties;

    private PropertiesFile(Path path, Properties properties) {
        this.path = path;
        this.properties = properties;
    }

    static PropertiesFile load(Path path) throws ConfigException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("Cannot read " + path + ": " + e.getMessage(), e);
        }
        return new PropertiesFile(path, properties);
    }

    static PropertiesFile empty(Path path) {
        return new PropertiesFile(path, new Properties());
    }

    Path path() {
        return path;
    }

    java.util.Set<String> keys() {
        return properties.stringPropertyNames();
    }

    Optional<String> optional(String key) {
        String value = properties.getProperty(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    String required(String key) throws ConfigException {
        return optional(key).orElseThrow(() -> error(key, "is missing"));
    }

    String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    Secret requiredSecret(String key) throws ConfigException {
        // Secrets are not trimmed beyond the line ending: a password may end in a space.
        String value = properties.getProperty(key);
        if (value == null || value.isEmpty()) {
            throw error(key, "is missing");
        }
        if (value.startsWith("ENC(")) {
            throw error(key, "is encrypted with CloudStack's jasypt tool, which rbdstack does not read;"
                    + " put the plain value in the file and make the file readable by the server's user only");
        }
        return Secret.of(value);
    }

    int integer(String key, int defaultValue, int min, int max) throws ConfigException {
        Optional<String> raw = optional(key);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw error(key, "must be between " + min + " and " + max + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw error(key, "must be an integer, got '" + raw.get() + "'");
        }
    }

    ConfigException error(String key, String problem) {
        return new ConfigException(path + ": '" + key + "' " + problem);
    }
}
