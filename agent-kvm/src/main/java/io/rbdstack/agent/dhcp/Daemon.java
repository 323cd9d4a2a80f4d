package io.rbdstack.agent.dhcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A daemon the agent starts in the foreground (so it stays its child) with its output appended to a
 * log file, found again after an agent restart through its pid file, and stopped with SIGTERM.
 */
final class Daemon {

    private final String name;
    private final Path pidFile;
    private final Path log;
    private ProcessHandle process;

    Daemon(String name, Path pidFile, Path log) {
        this.name = name;
        this.pidFile = pidFile;
        this.log = log;
    }

    /** The running process: ours, or the one a previous agent left (its pid file naming a live {@code name}). */
    Optional<ProcessHandle> running() {
        if (process != null && process.isAlive()) {
            return Optional.of(process);
        }
        process = null;
        return readPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("/" + name) || c.equals(name)).orElse(false))
                .map(p -> process = p);
    }

    void start(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start().toHandle();
        } catch (IOException e) {
            throw new DhcpException("cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    /** Whether the process started last has exited; its log's last lines say why. */
    boolean exited() {
        return process == null || !process.isAlive();
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    long pid() {
        return running().map(ProcessHandle::pid).orElseThrow(() -> new DhcpException(name + " is not running"));
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    void stop(Duration grace) {
        Optional<ProcessHandle> running = running();
        if (running.isEmpty()) {
            return;
        }
        ProcessHandle handle = running.get();
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
        } catch (Exception e) {
            handle.destroyForcibly();
        }
        process = null;
    }

    private Optional<Long> readPid() {
        try {
            return Files.exists(pidFile)
                    ? Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
