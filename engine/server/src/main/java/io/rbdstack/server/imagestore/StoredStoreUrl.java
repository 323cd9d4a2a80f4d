package io.rbdstack.server.imagestore;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.storage.StoreCredentials;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What {@code image_store.url} holds: the store's URL, and for a store with keys (S3) after a
 * {@code #} the access key and the secret key encrypted as every stored secret is ({@link SecretCipher},
 * AES-GCM). No store URL has a fragment, so the split is unambiguous; the keys never leave this
 * class but as {@link StoreCredentials}, whose secret is masked. Kept in the one column because
 * image stores have no details table yet: anything that reads {@code image_store.url} itself must
 * read it through {@link #read}.
 */
public record StoredStoreUrl(String url, StoreCredentials credentials) {

    private static final String KEYS = "#keys=";

    /** The column's value, the secret key encrypted. */
    String column(SecretCipher cipher) {
        if (credentials == null) {
            return url;
        }
        return url + KEYS + URLEncoder.encode(credentials.accessKey(), StandardCharsets.UTF_8) + ":"
                + cipher.encrypt(credentials.secretKey().reveal());
    }

    /** The URL and keys a column holds, the secret key decrypted. */
    public static StoredStoreUrl read(String column, SecretCipher cipher) {
        int keys = column.indexOf(KEYS);
        if (keys < 0) {
            return new StoredStoreUrl(column, null);
        }
        String[] pair = column.substring(keys + KEYS.length()).split(":", 2);
        return new StoredStoreUrl(column.substring(0, keys), new StoreCredentials(
                URLDecoder.decode(pair[0], StandardCharsets.UTF_8), Secret.of(cipher.decrypt(pair[1]))));
    }
}
