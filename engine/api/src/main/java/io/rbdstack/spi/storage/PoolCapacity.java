package io.rbdstack.spi.storage;

/** A pool's capacity as its storage reports it: total usable bytes and bytes used. */
public record PoolCapacity(long totalBytes, long usedBytes) {
}
