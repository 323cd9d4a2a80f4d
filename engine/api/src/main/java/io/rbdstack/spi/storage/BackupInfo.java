package io.rbdstack.spi.storage;

/** A written snapshot backup: its path in the store, its size there and its SHA-256 (hex). */
public record BackupInfo(String path, long physicalSizeBytes, String sha256) {
}
