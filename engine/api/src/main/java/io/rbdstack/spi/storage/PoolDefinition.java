package io.rbdstack.spi.storage;

import io.rbdstack.spi.Secret;
import java.util.Map;
import java.util.Objects;

/**
 * A pool as its provider parsed it from {@code url} and {@code details[]}, in the form the engine
 * stores: the address of the storage (for RBD the monitors, in the provider's canonical form), the
 * path (the Ceph pool), the user, the secret (stored encrypted, never shown) and the URL without
 * the secret, for display.
 */
public record PoolDefinition(String hostAddress, String path, String user, Secret secret, String displayUrl) {

    public PoolDefinition {
        Objects.requireNonNull(hostAddress, "hostAddress");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(displayUrl, "displayUrl");
    }

    /** Details to store in plain text beside the pool (never the secret). */
    public Map<String, String> plainDetails() {
        return user == null ? Map.of() : Map.of("user", user);
    }
}
