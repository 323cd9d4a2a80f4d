package io.rbdstack.agent.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The agent's VM settings: where the guests' serial consoles are logged ({@code vm.console.log.dir} in
 * agent.properties) and how often a stop or a detach looks whether the guest is done.
 */
public record VmSettings(Path consoleLogDir, Duration poll) {

    public static final Path DEFAULT_CONSOLE_LOG_DIR = Path.of("/var/log/rbdstack/console");

    public VmSettings {
        Objects.requireNonNull(consoleLogDir, "consoleLogDir");
        Objects.requireNonNull(poll, "poll");
    }

    public static VmSettings of(Path consoleLogDir) {
        return new VmSettings(consoleLogDir, Duration.ofMillis(250));
    }

    /** The file a domain's serial console is logged to. */
    public Path consoleLog(String instanceName) {
        return consoleLogDir.resolve(instanceName + ".console.log");
    }
}
