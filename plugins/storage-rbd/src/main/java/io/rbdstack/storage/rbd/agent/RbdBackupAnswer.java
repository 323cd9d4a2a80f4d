package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/**
 * A written backup file: its path in the store (the attempt's own name, which the server records), its size
 * on the store and its SHA-256 (hex).
 */
@JsonTypeName("rbd.backup")
public record RbdBackupAnswer(boolean success, String details, String path, long physicalSizeBytes, String sha256)
        implements Answer {

    public static RbdBackupAnswer failed(String details) {
        return new RbdBackupAnswer(false, details, null, 0, null);
    }
}
