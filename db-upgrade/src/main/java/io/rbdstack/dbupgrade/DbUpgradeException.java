package io.rbdstack.dbupgrade;

/**
 * The schema could not be brought to the version this server needs. The message is one sentence
 * meant for an operator: it names the script, version or lock involved and what to look at.
 */
public final class DbUpgradeException extends Exception {

    private static final long serialVersionUID = 1L;

    public DbUpgradeException(String message) {
        super(message);
    }

    public DbUpgradeException(String message, Throwable cause) {
        super(message, cause);
    }
}
