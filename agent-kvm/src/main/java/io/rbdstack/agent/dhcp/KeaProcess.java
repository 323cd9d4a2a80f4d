package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host's kea-dhcp6: started with the generated configuration (a mode-600 file) when the first
 * network arrives, changed through its control socket while it runs (no restart), stopped when no
 * network is left. Pid and lock files live in the DHCP directory.
 */
public final class KeaProcess {

    private static final Logger LOG = LoggerFactory.getLogger(KeaProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final KeaFiles files;
    private final Launcher launcher;
    private final KeaControl control;
    private final Daemon daemon;

    public KeaProcess(KeaFiles files, Launcher launcher, KeaControl control) {
        this.files = files;
        this.launcher = launcher;
        this.control = control;
        this.daemon = new Daemon("kea-dhcp6", files.pidFile(), files.log());
    }

    /**
     * Makes the running Kea serve {@code config} (config-set, then the same configuration written to the
     * file Kea starts from, once Kea took it); or starts Kea with it.
     *
     * <p>No config-test first: it would make Kea parse every change twice. Kea 2.2 does refuse a bad
     * config-set as a whole, but then logs DHCP6_CONFIG_UNRECOVERABLE_ERROR and stops serving (its
     * hooks and sockets are already closed; config-get still shows the old configuration). So on a
     * refusal the agent restarts Kea from the file, which still holds the last configuration Kea took,
     * with its lease file: the old configuration serves again, and the refusal is reported.
     */
    public void apply(ObjectNode config) {
        files.ensureDir();
        if (daemon.running().isPresent() && control.answers()) {
            try {
                control.set(config);
            } catch (DhcpException refused) {
                throw restartedAfter(refused);
            }
            KeaFiles.writePrivate(files.config(), bytes(config));
            return;
        }
        KeaFiles.writePrivate(files.config(), bytes(config));
        start();
    }

    private DhcpException restartedAfter(DhcpException refused) {
        LOG.warn("Kea refused a configuration; restarting it with the last one it took: {}", refused.getMessage());
        daemon.stop(Duration.ofSeconds(10));
        try {
            start();
        } catch (DhcpException e) {
            refused.addSuppressed(e);
            return new DhcpException(refused.getMessage() + "; restarting Kea with its last configuration failed too: "
                    + e.getMessage(), refused);
        }
        return new DhcpException(refused.getMessage() + " (Kea restarted with its last configuration)", refused);
    }

    /** Starts kea-dhcp6 with the configuration file and waits for its control socket. */
    private void start() {
        daemon.start(launcher.command("kea-dhcp6", "-c", files.config().toString()), Map.of(
                "KEA_PIDFILE_DIR", files.dir().toString(), "KEA_LOCKFILE_DIR", files.dir().toString()));
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!control.answers()) {
            if (daemon.exited()) {
                throw new DhcpException("kea-dhcp6 exited at start (log " + files.log() + "): " + daemon.logTail());
            }
            if (System.nanoTime() > deadline) {
                daemon.stop(Duration.ofSeconds(5));
                throw new DhcpException("kea-dhcp6 did not open its control socket " + files.controlSocket()
                        + " within " + START_TIMEOUT.toSeconds() + " s: " + daemon.logTail());
            }
            sleep();
        }
        LOG.info("kea-dhcp6 started (pid {}), control socket {}", daemon.pid(), files.controlSocket());
    }

    /** The control socket of the Kea this process runs. */
    public KeaControl control() {
        return control;
    }

    public boolean isRunning() {
        return daemon.running().isPresent();
    }

    /**
     * Stops a kea-dhcp6 a previous agent left running (found by its pid file). Its lease file stays, so
     * when Kea starts again with the networks the server sends, the addresses it handed out stay taken.
     */
    public void stopLeftBehind() {
        daemon.running().ifPresent(left -> {
            daemon.stop(Duration.ofSeconds(10));
            LOG.info("Stopped kea-dhcp6 (pid {}) left running by a previous agent; leases kept", left.pid());
        });
    }

    /** Stops Kea, its lease file kept, for it to start again on another control socket. */
    public void stopKeepingLeases() {
        daemon.running().ifPresent(running -> {
            daemon.stop(Duration.ofSeconds(10));
            LOG.info("Stopped kea-dhcp6 (pid {}) to move its control socket; leases kept", running.pid());
        });
    }

    public void stop() {
        if (daemon.running().isPresent()) {
            daemon.stop(Duration.ofSeconds(10));
            files.deleteLeases();
            LOG.info("kea-dhcp6 stopped: this host serves no network");
        }
    }

    static byte[] bytes(ObjectNode config) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config);
        } catch (IOException e) {
            throw new DhcpException("cannot write the Kea configuration: " + e.getMessage(), e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DhcpException("interrupted while kea-dhcp6 started");
        }
    }
}
