package io.rbdstack.server.imagestore;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.auth.crypto.SecretDecryptionException;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.storage.StoreCredentials;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

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

    /** SQL: the rows of {@code image_store} whose {@code url} holds keys. */
    public static final String WITH_KEYS = "url LIKE '%" + KEYS + "%'";

    /** The column's value, the secret key encrypted. */
    public String column(SecretCipher cipher) {
        if (credentials == null) {
            return url;
        }
        return url + KEYS + URLEncoder.encode(credentials.accessKey(), StandardCharsets.UTF_8) + ":"
                + cipher.encrypt(credentials.secretKey().reveal());
    }

    /**
     * The column's value with its encrypted secret key replaced by what {@code reencrypt} makes of it, the rest as it
     * was (re-encryption under a new {@code db.cloud.encrypt.secret}); a value without keys unchanged.
     */
    public static String resealSecretKey(String column, UnaryOperator<String> reencrypt) {
        int keys = column.indexOf(KEYS);
        if (keys < 0) {
            return column;
        }
        int secret = column.indexOf(':', keys + KEYS.length()) + 1; // the access key is URL-encoded: no ':' in it
        if (secret == 0) {
            throw new SecretDecryptionException("the stored store URL has keys but no secret key");
        }
        return column.substring(0, secret) + reencrypt.apply(column.substring(secret));
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
