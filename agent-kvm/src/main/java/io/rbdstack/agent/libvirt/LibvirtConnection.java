package io.rbdstack.agent.libvirt;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one connection to libvirtd, shared by every thread (libvirt connections are
 * thread-safe). When libvirtd restarts the old connection is dead for good, so a call that fails on
 * a dead connection reopens it and runs once more, and an optional watchdog notices a restart
 * between commands. After every reconnect (not the first connect) the reconnect listeners run on
 * a thread of their own, e.g. to define again what the new libvirtd may have lost.
 *
 * <p>A call is repeated at most once and only after the connection was found dead, so calls must be
 * safe to repeat; defining, starting and looking up pools and secrets are.
 */
public final class LibvirtConnection implements AutoCloseable {

    /** Work done with the connection. */
    @FunctionalInterface
    public interface Call<T> {
        T apply(Connect connect) throws LibvirtException;
    }

    /** Opens a connection; a seam for tests. */
    @FunctionalInterface
    interface Opener {
        Connect open(String uri) throws LibvirtException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

    private final String uri;
    private final Opener opener;
    private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
    private final ExecutorService listenerThread = Executors.newSingleThreadExecutor(daemon("libvirt-reconnected"));
    private ScheduledExecutorService watchdog; // guarded by this
    private Connect current;                   // guarded by this; null while disconnected
    private boolean connectedBefore;           // guarded by this
    private boolean closed;                    // guarded by this

    LibvirtConnection(String uri, Opener opener) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** A connection to {@code uri}, opened on first use (libvirtd need not be up yet). */
    public static LibvirtConnection to(String uri) {
        return new LibvirtConnection(uri, Connect::new);
    }

    public String uri() {
        return uri;
    }

    /** Runs the call; if it failed because libvirtd went away, reconnects and runs it once more. */
    public <T> T call(Call<T> call) throws LibvirtException {
        Connect connect = connection();
        try {
            return call.apply(connect);
        } catch (LibvirtException e) {
            if (!isDead(connect)) {
                throw e;
            }
            LOG.warn("The libvirt connection to {} is dead ({}); reconnecting", uri, e.getMessage());
            return call.apply(reopen(connect));
        }
    }

    /**
     * A round trip to libvirtd; reconnects when the connection died.
     *
     * @return whether libvirtd answered
     */
    public boolean check() {
        try {
            call(Connect::getLibVersion);
            return true;
        } catch (LibvirtException e) {
            synchronized (this) {
                LOG.debug("libvirtd at {} does not answer: {}", uri, e.getMessage());
                drop(current);
            }
            return false;
        }
    }

    /** Checks the connection every {@code interval} from a daemon thread, so a restart is noticed between commands. */
    public synchronized void startWatchdog(Duration interval) {
        if (watchdog != null || closed) {
            throw new IllegalStateException("watchdog already started or connection closed");
        }
        watchdog = Executors.newSingleThreadScheduledExecutor(daemon("libvirt-watchdog"));
        watchdog.scheduleWithFixedDelay(() -> {
            try {
                check();
            } catch (RuntimeException e) { // a scheduled task that throws is never run again
                LOG.warn("libvirt watchdog check failed", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs after each reconnect, on the listener thread, one listener after the other. */
    public void addReconnectListener(Runnable listener) {
        reconnectListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            drop(current);
        }
        listenerThread.shutdownNow();
    }

    private synchronized Connect connection() throws LibvirtException {
        if (closed) {
            throw new IllegalStateException("the libvirt connection is closed");
        }
        if (current == null) {
            current = opener.open(uri);
            if (connectedBefore) {
                LOG.info("Reconnected to libvirtd at {}", uri);
                notifyReconnected();
            } else {
                LOG.info("Connected to libvirtd at {}", uri);
            }
            connectedBefore = true;
        }
        return current;
    }

    private synchronized Connect reopen(Connect dead) throws LibvirtException {
        if (current == dead) {
            drop(dead);
        }
        return connection();
    }

    /** Forgets the connection, closing it; must hold the lock. */
    private void drop(Connect connect) {
        if (connect == null || connect != current) {
            return;
        }
        current = null;
        try {
            connect.close();
        } catch (LibvirtException e) {
            LOG.debug("Closing a dead libvirt connection: {}", e.getMessage());
        }
    }

    private void notifyReconnected() {
        try {
            listenerThread.execute(() -> {
                for (Runnable listener : reconnectListeners) {
                    try {
                        listener.run();
                    } catch (RuntimeException e) {
                        LOG.error("A libvirt reconnect listener failed", e);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Not notifying reconnect listeners: closing");
        }
    }

    /** libvirt marks a connection whose socket broke as not alive; asking may itself fail. */
    private static boolean isDead(Connect connect) {
        try {
            return !connect.isAlive();
        } catch (LibvirtException e) {
            return true;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
