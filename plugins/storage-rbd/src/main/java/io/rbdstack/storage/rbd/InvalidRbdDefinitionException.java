package io.rbdstack.storage.rbd;

/**
 * An RBD pool definition ({@code url} and {@code details[]} of createStoragePool) that cannot be used.
 * The message names the parameter and says what is wrong. It never quotes a value taken from the
 * url or from the secret: when a url is split wrongly, any piece of it may hold the secret.
 */
public final class InvalidRbdDefinitionException extends Exception {

    private final String parameter;

    public InvalidRbdDefinitionException(String parameter, String problem) {
        super("Invalid value for parameter " + parameter + ": " + problem);
        this.parameter = parameter;
    }

    /** The API parameter at fault: {@code url} or {@code details[].<key>}. */
    public String parameter() {
        return parameter;
    }
}
