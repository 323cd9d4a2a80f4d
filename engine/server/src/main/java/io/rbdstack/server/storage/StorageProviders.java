package io.rbdstack.server.storage;

import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.ProviderContext;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StorageProviderFactory;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage plugins: every {@link StorageProviderFactory} the plugin class loader finds (the class
 * path and the plugin directory's jars), found with ServiceLoader; the engine never names a plugin class.
 */
public final class StorageProviders {

    private static final Logger LOG = LoggerFactory.getLogger(StorageProviders.class);

    /** A loaded plugin: its factory and the provider made from it. */
    public record Loaded(StorageProviderFactory factory, StorageProvider provider) {
    }

    private final Map<String, Loaded> byName = new TreeMap<>();

    private StorageProviders() {
    }

    /** Loads the plugins; their options become global settings, read live by the providers. */
    public static StorageProviders load(ClassLoader plugins, HostGateway hosts, ProviderOptionSettings options) {
        StorageProviders providers = new StorageProviders();
        for (StorageProviderFactory factory : ServiceLoader.load(StorageProviderFactory.class, plugins)) {
            String name = factory.name().toUpperCase(Locale.ROOT);
            if (providers.byName.containsKey(name)) {
                throw new IllegalStateException("Two storage plugins are named " + name);
            }
            options.declare(factory);
            providers.byName.put(name, new Loaded(factory, factory.create(new ProviderContext(options.values(), hosts))));
            LOG.info("Loaded storage plugin {} ({})", name, factory.getClass().getName());
        }
        return providers;
    }

    public Optional<Loaded> byName(String name) {
        return Optional.ofNullable(byName.get(name.toUpperCase(Locale.ROOT)));
    }

    /** The plugin whose URL scheme the url has, e.g. {@code rbd://…}. */
    public Optional<Loaded> byUrl(String url) {
        int colon = url.indexOf("://");
        if (colon <= 0) {
            return Optional.empty();
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        return byName.values().stream().filter(l -> l.factory().urlScheme().equals(scheme)).findFirst();
    }

    public Collection<Loaded> all() {
        return byName.values();
    }
}
