package io.rbdstack.server.rotation;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.auth.crypto.SecretDecryptionException;
import io.rbdstack.server.db.Jdbc;
import java.util.List;

/**
 * Re-encrypts every stored secret from one {@code db.cloud.encrypt.secret} to another, in one
 * transaction: a value the old secret cannot decrypt rolls everything back, so the database never
 * holds secrets under two keys.
 */
public final class SecretReencryption {

    private record Row(long id, String value) {
    }

    private final Jdbc jdbc;
    private final List<EncryptedColumn> columns;

    public SecretReencryption(Jdbc jdbc, List<EncryptedColumn> columns) {
        this.jdbc = jdbc;
        this.columns = List.copyOf(columns);
    }

    /** @return how many values were re-encrypted */
    public int reencrypt(SecretCipher from, SecretCipher to) {
        int[] count = {0};
        jdbc.transaction(() -> {
            for (EncryptedColumn column : columns) {
                // Names come from EncryptedColumn.ALL, never from input. FOR UPDATE: no server writes meanwhile.
                List<Row> rows = jdbc.query("SELECT id, " + column.column() + " FROM " + column.table() + " WHERE "
                        + column.where() + " FOR UPDATE", rs -> new Row(rs.getLong(1), rs.getString(2)));
                for (Row row : rows) {
                    String resealed;
                    try {
                        resealed = column.sealed().reseal(row.value(), sealed -> to.encrypt(from.decrypt(sealed)));
                    } catch (SecretDecryptionException e) {
                        throw new SecretDecryptionException("Row " + row.id() + " of " + column.table() + "."
                                + column.column() + ": " + e.getMessage() + "; nothing was changed");
                    }
                    jdbc.update("UPDATE " + column.table() + " SET " + column.column() + " = ? WHERE id = ?",
                            resealed, row.id());
                    count[0]++;
                }
            }
        });
        return count[0];
    }
}
