package io.rbdstack.server.snapshot.verify;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import io.rbdstack.server.imagestore.StoredStoreUrl;
import io.rbdstack.spi.storage.StoreCredentials;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The verification state of snapshot backups: the {@code verified}, {@code verify_result} and
 * {@code verify_details} columns of their {@code snapshot_store_ref} rows (role Image). A damaged
 * backup's row goes from Ready to Error, so no restore and no later incremental backup uses it.
 */
public final class BackupVerificationRepository {

    /** verify_result of a whole backup. */
    public static final String OK = "OK";
    /** verify_result of a backup incremental to a damaged one: its own file may be whole, its chain is not. */
    public static final String PARENT_DAMAGED = "PARENT_DAMAGED";
    private static final int MAX_DETAILS = 1024;

    /** A Ready backup file as the agent checks it: where it is and what was recorded when it was written. */
    public record StoredBackup(long snapshotId, String snapshotUuid, String snapshotName, long accountId,
                               String volumeUuid, String volumeName, String storeUrl, StoreCredentials credentials,
                               String zoneUuid, String path,
                               long physicalBytes, String checksum, String parentUuid, String parentBackupState) {

        public boolean parentDamaged() {
            return "Error".equals(parentBackupState);
        }
    }

    private static final String SELECT = "SELECT b.snapshot_id, s.uuid, s.name, s.account_id, v.uuid AS volume_uuid,"
            + " v.name AS volume_name, i.url, z.uuid AS zone_uuid, b.install_path, b.physical_size, b.checksum,"
            + " ps.uuid AS parent_uuid, (SELECT pb.state FROM snapshot_store_ref pb WHERE pb.snapshot_id ="
            + " b.parent_snapshot_id AND pb.store_role = 'Image' AND pb.state IN ('Ready', 'Error') ORDER BY pb.id DESC"
            + " LIMIT 1) AS parent_state"
            + " FROM snapshot_store_ref b JOIN snapshots s ON s.id = b.snapshot_id JOIN volumes v ON v.id = b.volume_id"
            + " JOIN image_store i ON i.id = b.store_id JOIN data_center z ON z.id = i.data_center_id"
            + " LEFT JOIN snapshots ps ON ps.id = b.parent_snapshot_id";
    private static final String READY = "b.store_role = 'Image' AND b.state = 'Ready'";
    /**
     * Not being deleted: its snapshot is not Destroying, and a deleted snapshot's backup counts only
     * while a later backup builds on it. A file a delete or the cleanup removes is never "missing".
     */
    // A derived table (DISTINCT: never merged), as MySQL lets an UPDATE read its own table no other way.
    private static final String NEEDED = " AND s.status <> 'Destroying' AND (s.removed IS NULL OR b.snapshot_id IN"
            + " (SELECT needed.id FROM (SELECT DISTINCT c.parent_snapshot_id AS id FROM snapshot_store_ref c"
            + " WHERE c.parent_snapshot_id IS NOT NULL AND c.store_role = 'Image' AND c.state = 'Ready') needed))";

    private final Jdbc jdbc;
    private final SecretCipher cipher;

    /** {@code cipher}: decrypts the keys of stores that have them (S3), read with the store's URL. */
    public BackupVerificationRepository(Jdbc jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    /**
     * The Ready backups to verify: every one, or one snapshot's, or one volume's (also those of its
     * deleted snapshots that later backups still build on), oldest first, so a chain is checked from
     * its full backup on.
     */
    public List<StoredBackup> ready(Optional<String> snapshotUuid, Optional<String> volumeUuid) {
        Where where = Where.of(READY + NEEDED).andIf("s.uuid = ?", snapshotUuid).andIf("v.uuid = ?", volumeUuid);
        return jdbc.query(SELECT + where.sql() + " ORDER BY b.snapshot_id", this::row,
                where.args());
    }

    /** The Ready backups incremental to this snapshot's backup. */
    public List<StoredBackup> readyChildren(long snapshotId) {
        return jdbc.query(SELECT + " WHERE " + READY + " AND b.parent_snapshot_id = ? ORDER BY b.snapshot_id",
                this::row, snapshotId);
    }

    /** The backup was found whole now. */
    public void recordOk(long snapshotId, Instant at) {
        jdbc.update("UPDATE snapshot_store_ref SET verified = ?, verify_result = ?, verify_details = NULL"
                + " WHERE snapshot_id = ? AND store_role = 'Image' AND state = 'Ready'", at, OK, snapshotId);
    }

    /**
     * The backup is damaged: Ready → Error with what was found; false if it was no longer Ready or is
     * being deleted (its file went with the delete, not with damage).
     */
    public boolean recordDamaged(long snapshotId, String result, String details, Instant at) {
        String text = details == null || details.length() <= MAX_DETAILS ? details : details.substring(0, MAX_DETAILS);
        return jdbc.update("UPDATE snapshot_store_ref b JOIN snapshots s ON s.id = b.snapshot_id SET b.state = 'Error',"
                + " b.verified = ?, b.verify_result = ?, b.verify_details = ?, b.last_updated = ?"
                + " WHERE b.snapshot_id = ? AND " + READY + NEEDED, at, result, text, at, snapshotId) == 1;
    }

    private StoredBackup row(ResultSet rs) throws SQLException {
        StoredStoreUrl store = StoredStoreUrl.read(rs.getString("url"), cipher);
        return new StoredBackup(rs.getLong("snapshot_id"), rs.getString("uuid"), rs.getString("name"),
                rs.getLong("account_id"), rs.getString("volume_uuid"), rs.getString("volume_name"), store.url(),
                store.credentials(), rs.getString("zone_uuid"), rs.getString("install_path"), rs.getLong("physical_size"),
                rs.getString("checksum"), rs.getString("parent_uuid"), rs.getString("parent_state"));
    }
}
