package io.rbdstack.spi.storage;

/** A saved pool as the engine hands it back to its provider for an operation. */
public record StoredPool(String uuid, String name, PoolScope scope, PoolDefinition definition) {
}
