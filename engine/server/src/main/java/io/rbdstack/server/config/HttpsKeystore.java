package io.rbdstack.server.config;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The admin's own HTTPS certificate: a PKCS12 keystore (key and chain) whose password is read from
 * a file, so it is in no argv and no properties file.
 */
public final class HttpsKeystore {

    private HttpsKeystore() {
    }

    public static SSLContext serverContext(Path keystore, Path passwordFile) throws ConfigException {
        char[] password = null;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).strip().toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new ConfigException("Cannot load the HTTPS keystore " + keystore + " (password from "
                    + passwordFile + "): " + e.getMessage(), e);
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }
}
