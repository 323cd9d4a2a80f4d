package io.rbdstack.server.db;

/** The database cannot be used: the message says why in one line. */
public final class DatabaseStartupException extends Exception {
    public DatabaseStartupException(String message, Throwable cause) {
        super(message, cause);
    }

    public DatabaseStartupException(String message) {
        super(message);
    }
}
