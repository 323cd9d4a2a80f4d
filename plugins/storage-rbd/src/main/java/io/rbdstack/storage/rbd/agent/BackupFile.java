package io.rbdstack.storage.rbd.agent;

/** One backup file of a restore chain: where it is and the SHA-256 (hex) it was written with. */
public record BackupFile(String storeUrl, String path, String sha256) {
}
