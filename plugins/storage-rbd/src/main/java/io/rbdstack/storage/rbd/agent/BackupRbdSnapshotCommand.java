package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.storage.StoreCredentials;

/**
 * Write {@code image@snapshot} to the image store at {@code storeUrl} in the rbd diff v1 format, under
 * {@code path} (relative to its root) with the run's own attempt id before its extension
 * ({@code <uuid>.rbddiff} → {@code <uuid>.<attempt>.rbddiff}, answered in {@link RbdBackupAnswer#path}): everything when {@code fromSnapshot} is null, else only the
 * changes since that snapshot. {@code storeCredentials}: the store's keys when it needs them (S3),
 * else null. Answered with {@link RbdBackupAnswer}.
 */
@JsonTypeName("rbd.backupSnapshot")
public record BackupRbdSnapshotCommand(RbdPool pool, String image, String snapshot, String fromSnapshot,
                                       String storeUrl, String path, StoreCredentials storeCredentials)
        implements AgentCommand {

    /**
     * Safe to send to another host after a lost one, also one cut off but still writing: each run writes a file of
     * its own name (through a partial file or an S3 multipart upload, so a half-written one is never taken for
     * complete), the two never touch each other's, and the server records the one whose answer it accepted.
     */
    @Override
    public boolean retrySafe() {
        return true;
    }

    public BackupRbdSnapshotCommand(RbdPool pool, String image, String snapshot, String fromSnapshot, String storeUrl,
                                    String path) {
        this(pool, image, snapshot, fromSnapshot, storeUrl, path, null);
    }

    /** Reads the snapshot (or its changes) and writes them to the image store. */
    @Override
    public boolean transfer() {
        return true;
    }
}
