package io.rbdstack.server.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The class loader of the plugin directory's jars. Everything a plugin contributes (storage
 * providers, agent message types) is looked up through this one loader, so the server sees the
 * same plugins everywhere.
 */
public final class PluginJars {

    private PluginJars() {
    }

    /** A loader over the directory's jars, or {@code parent} itself when there is no such directory. */
    public static ClassLoader classLoader(Optional<Path> pluginDir, ClassLoader parent) throws IOException {
        if (pluginDir.isEmpty() || !Files.isDirectory(pluginDir.get())) {
            return parent;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(pluginDir.get())) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(url(jar));
            }
        }
        return new URLClassLoader(jars.toArray(URL[]::new), parent);
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jar.toString(), e);
        }
    }
}
