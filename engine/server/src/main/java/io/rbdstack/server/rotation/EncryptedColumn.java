package io.rbdstack.server.rotation;

import io.rbdstack.server.imagestore.StoredStoreUrl;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A column holding values encrypted with {@code db.cloud.encrypt.secret}; {@link #ALL} is the one
 * list of them, which re-encryption walks (docs/security.md lists the same).
 *
 * @param where which rows of the table hold an encrypted value
 * @param sealed where in a value its encrypted part is
 */
public record EncryptedColumn(String table, String column, String where, Sealed sealed) {

    /** The encrypted part of a stored value, re-sealed by {@code reencrypt} (which decrypts and encrypts it again). */
    public interface Sealed {
        String reseal(String value, UnaryOperator<String> reencrypt);

        /** The whole value is the encrypted text. */
        Sealed WHOLE = (value, reencrypt) -> reencrypt.apply(value);
    }

    public static final List<EncryptedColumn> ALL = List.of(
            new EncryptedColumn("user", "secret_key", "secret_key IS NOT NULL", Sealed.WHOLE),
            new EncryptedColumn("storage_pool_details", "value", "encrypted = 1", Sealed.WHOLE),
            new EncryptedColumn("ca_certificate", "private_key", "1 = 1", Sealed.WHOLE),
            // An S3 store's secret key, after its URL and access key (StoredStoreUrl).
            new EncryptedColumn("image_store", "url", StoredStoreUrl.WITH_KEYS, StoredStoreUrl::resealSecretKey));
}
