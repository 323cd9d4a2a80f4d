package io.rbdstack.spi.storage;

/** One file of a backup chain to restore: the store's URL, the path in it and the SHA-256 it was written with. */
public record BackupFileRef(String storeUrl, String path, String sha256) {
}
