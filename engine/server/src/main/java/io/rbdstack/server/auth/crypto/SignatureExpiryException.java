package io.rbdstack.server.auth.crypto;

/**
 * A {@code signatureVersion=3} request whose {@code expires} is missing, unparseable, expired or
 * too far ahead. CloudStack answers all of these with 401; the message is safe to send back
 * (it never echoes the raw parameter).
 */
public final class SignatureExpiryException extends Exception {

    /** Why the request was refused. */
    public enum Reason { MISSING, UNPARSEABLE, EXPIRED, TOO_FAR_AHEAD }

    private final Reason reason;

    public SignatureExpiryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
