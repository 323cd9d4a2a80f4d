package io.rbdstack.server.db;

/** A failed SQL statement; unchecked, since a caller can rarely do more than fail the request. */
public final class DataAccessException extends RuntimeException {
    public DataAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The server's error code, e.g. 1062 for a duplicate key, or 0. */
    public int errorCode() {
        return getCause() instanceof java.sql.SQLException sql ? sql.getErrorCode() : 0;
    }
}
