package io.rbdstack.server.rotation;

import java.util.List;

/**
 * A column holding values encrypted with {@code db.cloud.encrypt.secret}; {@link #ALL} is the one
 * list of them, which re-encryption walks (docs/security.md lists the same).
 *
 * @param where which rows of the table hold an encrypted value
 */
public record EncryptedColumn(String table, String column, String where) {

    public static final List<EncryptedColumn> ALL = List.of(
            new EncryptedColumn("user", "secret_key", "secret_key IS NOT NULL"),
            new EncryptedColumn("storage_pool_details", "value", "encrypted = 1"),
            new EncryptedColumn("ca_certificate", "private_key", "1 = 1"));
}
