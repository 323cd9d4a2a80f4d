package io.rbdstack.spi.storage;

/** Where a snapshot backup goes: the image store's URL and the file's path relative to its root. */
public record BackupTarget(String storeUrl, String path) {
}
