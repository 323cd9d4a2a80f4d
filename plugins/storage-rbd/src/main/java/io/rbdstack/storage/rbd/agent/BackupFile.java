package io.rbdstack.storage.rbd.agent;

import io.rbdstack.spi.storage.StoreCredentials;

/**
 * One backup file of a restore chain: where it is, the SHA-256 (hex) it was written with, and the
 * store's keys when it needs them (S3; else null).
 */
public record BackupFile(String storeUrl, String path, String sha256, StoreCredentials credentials) {

    public BackupFile(String storeUrl, String path, String sha256) {
        this(storeUrl, path, sha256, null);
    }
}
