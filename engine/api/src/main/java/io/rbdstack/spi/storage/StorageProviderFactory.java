package io.rbdstack.spi.storage;

import java.util.List;
import java.util.Set;

/**
 * A primary-storage plugin's entry point, found with {@link java.util.ServiceLoader}. It names the
 * provider (CloudStack's {@code provider}/pool type, e.g. "RBD"), declares its options once with
 * defaults and help, says which pool detail keys hold secrets (so the engine encrypts and masks
 * them), and makes the provider.
 */
public interface StorageProviderFactory {

    /** The pool type and provider name, e.g. {@code RBD}; matched case-insensitively. */
    String name();

    /** The URL scheme of this provider's pools, e.g. {@code rbd}. */
    String urlScheme();

    List<ProviderOption> options();

    /** Keys of {@code details[]} whose values are secrets. */
    Set<String> secretDetailKeys();

    StorageProvider create(ProviderContext context);
}
