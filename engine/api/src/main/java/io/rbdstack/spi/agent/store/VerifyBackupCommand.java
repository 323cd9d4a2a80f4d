package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.storage.StoreCredentials;

/**
 * Re-read one backup file ({@code path}, relative to the store's root) and check it against what was
 * recorded when it was written: its size in bytes, its SHA-256 (hex), and the rbd diff stream's
 * from-snapshot ({@code fromSnapshot}: the parent backup's snapshot, null for a full backup) and
 * to-snapshot names. {@code credentials}: the store's keys when it needs them (S3), else null.
 * Answered with {@link BackupVerifiedAnswer}.
 */
@JsonTypeName("store.verifyBackup")
public record VerifyBackupCommand(String storeUrl, String path, long sizeBytes, String sha256, String fromSnapshot,
                                  String toSnapshot, StoreCredentials credentials) implements AgentCommand {

    /** Safe to send to another host after a lost one: it only reads. */
    @Override
    public boolean retrySafe() {
        return true;
    }

    /** A store without keys (a directory, NFS). */
    public VerifyBackupCommand(String storeUrl, String path, long sizeBytes, String sha256, String fromSnapshot,
                               String toSnapshot) {
        this(storeUrl, path, sizeBytes, sha256, fromSnapshot, toSnapshot, null);
    }

    /** Re-reads the whole backup file. */
    @Override
    public boolean transfer() {
        return true;
    }
}
