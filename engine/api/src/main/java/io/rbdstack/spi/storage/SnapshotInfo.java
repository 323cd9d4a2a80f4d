package io.rbdstack.spi.storage;

/** A snapshot as the storage has it: its name on the volume (for RBD the snapshot name) and the volume's size then. */
public record SnapshotInfo(String name, long sizeBytes) {
}
