package io.rbdstack.server.config;

/** A configuration problem found at start-up; the message is the one line an operator needs. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
