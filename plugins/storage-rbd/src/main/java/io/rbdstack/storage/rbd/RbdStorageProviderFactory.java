package io.rbdstack.storage.rbd;

import io.rbdstack.spi.ValueType;
import io.rbdstack.spi.storage.ProviderContext;
import io.rbdstack.spi.storage.ProviderOption;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StorageProviderFactory;
import java.util.List;
import java.util.Set;

/** The RBD primary-storage plugin, registered for {@link java.util.ServiceLoader}. */
public final class RbdStorageProviderFactory implements StorageProviderFactory {

    /** At least 5 s, so an agent's Ceph call can answer; at most an hour, past which a host is better called dead. */
    static final ProviderOption COMMAND_TIMEOUT_SECONDS = new ProviderOption("rbd.command.timeout.seconds",
            ValueType.wholeNumber(5, 3600), "60", "How long the server waits for an agent's answer to an RBD command.");

    @Override
    public String name() {
        return "RBD";
    }

    @Override
    public String urlScheme() {
        return "rbd";
    }

    @Override
    public List<ProviderOption> options() {
        List<ProviderOption> all = new java.util.ArrayList<>(RbdProviderOptions.all());
        all.add(COMMAND_TIMEOUT_SECONDS);
        return List.copyOf(all);
    }

    @Override
    public Set<String> secretDetailKeys() {
        return RbdProviderOptions.secretKeys();
    }

    @Override
    public StorageProvider create(ProviderContext context) {
        return new RbdStorageProvider(context);
    }
}
