package io.rbdstack.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/**
 * New key pairs: ECDSA on P-256 for the CA, the management server and every host. Generation
 * takes milliseconds (RSA 2048 takes up to a second), and every TLS 1.3 client supports it.
 */
public final class KeyPairs {

    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private KeyPairs() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }
}
