package io.rbdstack.spi.storage;

/**
 * Where a snapshot backup goes: the image store's URL, the file's path relative to its root, and the
 * store's keys when it needs them (S3; else null).
 */
public record BackupTarget(String storeUrl, String path, StoreCredentials credentials) {

    public BackupTarget(String storeUrl, String path) {
        this(storeUrl, path, null);
    }
}
