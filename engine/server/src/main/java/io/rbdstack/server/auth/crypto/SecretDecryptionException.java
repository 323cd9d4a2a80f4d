package io.rbdstack.server.auth.crypto;

/**
 * A stored secret that {@link SecretCipher} cannot decrypt: written with another
 * {@code db.cloud.encrypt.secret}, altered, or not in rbdstack's format. The message never
 * contains the stored value.
 */
public final class SecretDecryptionException extends RuntimeException {
    public SecretDecryptionException(String message) {
        super(message);
    }

    public SecretDecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
