package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * Re-read one backup file ({@code path}, relative to the store's root) and check it against what was
 * recorded when it was written: its size in bytes, its SHA-256 (hex), and the rbd diff stream's
 * from-snapshot ({@code fromSnapshot}: the parent backup's snapshot, null for a full backup) and
 * to-snapshot names. Answered with {@link BackupVerifiedAnswer}.
 */
@JsonTypeName("store.verifyBackup")
public record VerifyBackupCommand(String storeUrl, String path, long sizeBytes, String sha256, String fromSnapshot,
                                  String toSnapshot) implements AgentCommand {
}
