package io.rbdstack.agent.ceph;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Connections kept open between commands: at most one per slot (for librados: monitors, user and traffic),
 * opened for one key (the slot plus its credential) and shared by every command using that key at
 * the same time. Why: a connect and its cephx handshake were paid by every command before. A
 * connection is closed once it has been unused for the idle lifetime, when a command asks for its
 * slot with another key (the credential changed: keys are never mixed), or after a failure that may
 * be the connection's own; a retired connection still leased is closed when its last lease ends.
 *
 * @param <K> what a connection is opened for (equal keys may share it)
 * @param <C> the connection
 */
final class SharedConnections<K, C> {

    /** Opens a connection for a key; a failure is the caller's, nothing is kept. */
    interface Opener<K, C> {
        C open(K key) throws CephException;
    }

    /** One use of a connection; {@link #release()} exactly once. */
    final class Lease {
        private final Entry entry;
        private boolean released;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        C connection() {
            return entry.connection;
        }

        void release() {
            if (released) {
                return;
            }
            released = true;
            SharedConnections.this.release(entry);
        }
    }

    private final class Entry {
        final K key;
        final C connection;
        int leases;
        long idleSince;
        boolean retired;

        Entry(K key, C connection) {
            this.key = key;
            this.connection = connection;
        }
    }

    /** A connect under way for one key: the commands that came for the same key wait for it. */
    private final class Connecting {
        final CompletableFuture<Entry> done = new CompletableFuture<>();
        int waiters;
    }

    private final Function<K, Object> slotOf;
    private final Opener<K, C> opener;
    private final Consumer<C> closer;
    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final Map<Object, Entry> entries = new HashMap<>();
    /**
     * Connects under way, per key. Why per key and outside the lock: a connect may take up to the
     * mount timeout (an unreachable cluster), and must delay neither other clusters' commands nor a
     * new key's; concurrent first commands for one key share its connect (and its failure).
     */
    private final Map<K, Connecting> connecting = new HashMap<>();
    private boolean closed;

    SharedConnections(Function<K, Object> slotOf, Opener<K, C> opener, Consumer<C> closer, Duration idle,
                      LongSupplier nanoClock) {
        this.slotOf = Objects.requireNonNull(slotOf, "slotOf");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.closer = Objects.requireNonNull(closer, "closer");
        if (idle.isNegative()) {
            throw new IllegalArgumentException("idle lifetime must not be negative: " + idle);
        }
        this.idleNanos = idle.toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /** A lease on the connection for {@code key}, opening one when there is none (or only one for another key). */
    Lease lease(K key) throws CephException {
        Object slot = slotOf.apply(key);
        Connecting pending;
        boolean mine = false;
        C stale = null;
        synchronized (this) {
            Entry entry = entries.get(slot);
            if (entry != null && entry.key.equals(key)) {
                entry.leases++;
                return new Lease(entry);
            }
            if (entry != null) {
                stale = retireLocked(slot, entry); // the slot's credential changed
            }
            pending = connecting.get(key);
            if (pending == null) {
                pending = new Connecting();
                connecting.put(key, pending);
                mine = true;
            } else {
                pending.waiters++;
            }
        }
        closeConnection(stale);
        return mine ? connect(slot, key, pending) : new Lease(awaitConnect(pending));
    }

    private Lease connect(Object slot, K key, Connecting pending) throws CephException {
        C connection;
        try {
            connection = opener.open(key);
        } catch (CephException | RuntimeException | Error e) {
            synchronized (this) {
                connecting.remove(key, pending);
            }
            pending.done.completeExceptionally(e);
            throw e;
        }
        Entry entry = new Entry(key, connection);
        C replaced = null;
        synchronized (this) {
            connecting.remove(key, pending);
            entry.leases = 1 + pending.waiters; // counted before anyone can release it
            if (!closed && idleNanos > 0) {
                Entry other = entries.get(slot);
                if (other != null) {
                    replaced = retireLocked(slot, other); // a connect for the slot's other key ended first
                }
                entries.put(slot, entry);
            } else {
                entry.retired = true; // used by these commands only, closed when they release it
            }
        }
        closeConnection(replaced);
        pending.done.complete(entry);
        return new Lease(entry);
    }

    /** Waits for another command's connect to the same key; not interruptible, as that connect is bounded. */
    private Entry awaitConnect(Connecting pending) throws CephException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return pending.done.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof CephException ceph) {
                        throw new CephException(ceph.getMessage(), ceph.returnCode(), ceph);
                    }
                    if (cause instanceof RuntimeException runtime) {
                        throw new IllegalStateException(runtime.getMessage(), runtime);
                    }
                    throw new IllegalStateException("connect failed", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Retires the connection for {@code key} (if it is the one open for its slot) after a failure
     * that may be the connection's: a new one is opened for the next command.
     */
    boolean retire(K key) {
        C toClose = null;
        boolean retired = false;
        synchronized (this) {
            Object slot = slotOf.apply(key);
            Entry entry = entries.get(slot);
            if (entry != null && entry.key.equals(key)) {
                toClose = retireLocked(slot, entry);
                retired = true;
            }
        }
        closeConnection(toClose);
        return retired;
    }

    /** Closes the connections unused for the idle lifetime; returns how many. */
    int closeIdle() {
        List<C> toClose = new ArrayList<>();
        synchronized (this) {
            long now = nanoClock.getAsLong();
            entries.entrySet().removeIf(e -> {
                Entry entry = e.getValue();
                if (entry.leases == 0 && now - entry.idleSince >= idleNanos) {
                    entry.retired = true;
                    toClose.add(entry.connection);
                    return true;
                }
                return false;
            });
        }
        toClose.forEach(this::closeConnection);
        return toClose.size();
    }

    /** How many connections are kept open for later commands. */
    synchronized int open() {
        return entries.size();
    }

    /** Closes every unused connection now and every leased one when released; opens no more to keep. */
    void close() {
        List<C> toClose = new ArrayList<>();
        synchronized (this) {
            closed = true;
            for (Entry entry : entries.values()) {
                entry.retired = true;
                if (entry.leases == 0) {
                    toClose.add(entry.connection);
                }
            }
            entries.clear();
        }
        toClose.forEach(this::closeConnection);
    }

    private C retireLocked(Object slot, Entry entry) {
        entries.remove(slot, entry);
        entry.retired = true;
        return entry.leases == 0 ? entry.connection : null;
    }

    private void release(Entry entry) {
        boolean close;
        synchronized (this) {
            entry.leases--;
            entry.idleSince = nanoClock.getAsLong();
            close = entry.retired && entry.leases == 0;
        }
        if (close) {
            closeConnection(entry.connection);
        }
    }

    private void closeConnection(C connection) {
        if (connection != null) {
            closer.accept(connection);
        }
    }
}
