package io.rbdstack.agent.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The host's network links as the kernel shows them in sysfs ({@code /sys/class/net}). */
public interface Links {

    boolean exists(String name);

    boolean isBridge(String name);

    /** The bridge the link is enslaved to, if any. */
    Optional<String> master(String name);

    /** This host's links. */
    static Links sysfs() {
        return sysfs(Path.of("/sys/class/net"));
    }

    static Links sysfs(Path root) {
        return new Links() {
            @Override
            public boolean exists(String name) {
                return Files.exists(root.resolve(name));
            }

            @Override
            public boolean isBridge(String name) {
                return Files.isDirectory(root.resolve(name).resolve("bridge"));
            }

            @Override
            public Optional<String> master(String name) {
                Path master = root.resolve(name).resolve("master");
                try {
                    return Files.isSymbolicLink(master)
                            ? Optional.of(Files.readSymbolicLink(master).getFileName().toString()) : Optional.empty();
                } catch (IOException e) {
                    throw new VmException("cannot read " + master + ": " + e.getMessage());
                }
            }
        };
    }
}
