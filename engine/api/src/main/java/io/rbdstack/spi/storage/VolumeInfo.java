package io.rbdstack.spi.storage;

/** A volume as the storage has it: its path in the pool (for RBD the image name) and its size. */
public record VolumeInfo(String path, long sizeBytes) {
}
