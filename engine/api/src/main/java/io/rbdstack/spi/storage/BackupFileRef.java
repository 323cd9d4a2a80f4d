package io.rbdstack.spi.storage;

/**
 * One file of a backup chain to restore: the store's URL, the path in it, the SHA-256 it was written
 * with, and the store's keys when it needs them (S3; else null).
 */
public record BackupFileRef(String storeUrl, String path, String sha256, StoreCredentials credentials) {

    public BackupFileRef(String storeUrl, String path, String sha256) {
        this(storeUrl, path, sha256, null);
    }
}
