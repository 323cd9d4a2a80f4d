package io.rbdstack.server.vm;

import io.rbdstack.server.volume.ScriptedStorage;
import io.rbdstack.spi.storage.ProviderContext;
import io.rbdstack.spi.storage.ProviderOption;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.StorageProviderFactory;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A storage plugin for the VM orchestration tests, loaded through {@code plugin.dir} like any plugin: a
 * {@link ScriptedStorage} whose snapshots are also written to {@link #JOURNAL} ("snapshot &lt;image&gt;"), the
 * list the fake agents write their vm.quiesce calls to, so a test sees freeze, snapshot and thaw in order.
 */
public final class JournaledStorageFactory implements StorageProviderFactory {

    static final String NAME = "JOURNALED";
    static final List<String> JOURNAL = new CopyOnWriteArrayList<>();
    static final ScriptedStorage STORAGE = new ScriptedStorage();
    /** When set, snapshots fail with it. */
    static volatile StorageException failSnapshot;

    /** Writes the plugin jar (its service entry only: the class comes from the test class path) into {@code dir}. */
    static Path writePluginJar(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve("journaled-storage.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/" + StorageProviderFactory.class.getName()));
            out.write((JournaledStorageFactory.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return dir;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String urlScheme() {
        return "journaled";
    }

    @Override
    public List<ProviderOption> options() {
        return List.of();
    }

    @Override
    public Set<String> secretDetailKeys() {
        return Set.of();
    }

    @Override
    public StorageProvider create(ProviderContext context) {
        return (StorageProvider) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StorageProvider.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createSnapshot")) {
                        JOURNAL.add("snapshot " + args[1]);
                        StorageException failure = failSnapshot;
                        if (failure != null) {
                            throw failure;
                        }
                    }
                    try {
                        return method.invoke(STORAGE, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
