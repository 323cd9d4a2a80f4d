package io.rbdstack.agent.dhcp;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's radvd (Debian's package): started with the generated configuration when the first
 * network arrives, told to read it again with SIGHUP on each change, stopped when none is left.
 */
public final class Radvd {

    private static final Logger LOG = LoggerFactory.getLogger(Radvd.class);

    private final Path dir;
    private final Launcher launcher;
    private final Daemon daemon;
    /** The configuration the running radvd read last; reservations do not change it, so most applies skip radvd. */
    private String applied;

    public Radvd(Path dir, Launcher launcher) {
        this.dir = dir;
        this.launcher = launcher;
        this.daemon = new Daemon("radvd", dir.resolve("radvd.pid"), dir.resolve("radvd.log"));
    }

    public Path config() {
        return dir.resolve("radvd.conf");
    }

    public void apply(Collection<ServedNetwork> networks) throws InterruptedException {
        String rendered = RadvdConfig.render(networks);
        boolean running = daemon.running().isPresent();
        if (running && rendered.equals(applied)) {
            return;
        }
        KeaFiles.writePrivate(config(), rendered.getBytes(StandardCharsets.UTF_8));
        ToolRun.run(launcher.command("radvd", "--configtest", "-C", config().toString(), "-m", "stderr"));
        if (running) {
            ToolRun.run(launcher.command("kill", "-HUP", Long.toString(daemon.pid())));
            applied = rendered;
            return;
        }
        daemon.start(launcher.command("radvd", "--nodaemon", "-C", config().toString(), "-p",
                dir.resolve("radvd.pid").toString(), "-m", "stderr"), Map.of());
        Thread.sleep(200);
        if (daemon.exited()) {
            throw new DhcpException("radvd exited at start (log " + dir.resolve("radvd.log") + "): " + daemon.logTail());
        }
        applied = rendered;
        LOG.info("radvd started for {} network(s)", networks.size());
    }

    public void stop() {
        daemon.stop(Duration.ofSeconds(5));
        applied = null;
    }
}
