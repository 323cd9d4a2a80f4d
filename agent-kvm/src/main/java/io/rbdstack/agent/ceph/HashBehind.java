package io.rbdstack.agent.ceph;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream's digest computed on a thread of its own, so that a backup's SHA-256 (about as much CPU as the rest of
 * its work) overlaps its reads and its file writes instead of following them. The bytes are fed in the stream's
 * order: small ones ({@link #update}, a diff's records) are copied, and the data buffers are lent ({@link #lend}),
 * hashed where they are, without a copy: the caller keeps a lent buffer unchanged until {@link #awaitLent} says the
 * digest is done with it. {@link #close} stops the thread and returns once it no longer reads any lent buffer, so
 * the caller may give its buffers back after it, also after a failure.
 */
public final class HashBehind implements AutoCloseable {

    /** Copied bytes gathered before they go to the thread: a diff's 17-byte records go a few thousand at once. */
    private static final int GATHER = 8 << 10;
    /** Copied bytes waiting for the thread at most; past it {@link #update} waits (lent buffers the caller bounds). */
    private static final int MAX_COPIED_WAITING = 1 << 20;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final MessageDigest digest;
    private final Thread thread;
    /** Guarded by this: byte[] (copied) or ByteBuffer (lent) items, the head being hashed until it is removed. */
    private final Deque<Object> waiting = new ArrayDeque<>();
    private byte[] gathered = new byte[GATHER];
    private int gatheredLength;
    private long copiedWaiting;
    private long lent;
    private long lentHashed;
    private Throwable failure;
    private boolean closed;
    private boolean digested;
    /** Closed or failed: read without the lock by {@link #update}, which otherwise only gathers. */
    private volatile boolean stopped;

    /** Starts the thread that feeds {@code digest}, which nothing else may use until {@link #digest} returns. */
    public HashBehind(MessageDigest digest) {
        this.digest = digest;
        this.thread = new Thread(this::hashInOrder, "hash-behind-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** Hashes a copy of {@code length} bytes of {@code bytes} after everything fed before. */
    public void update(byte[] bytes, int offset, int length) throws IOException {
        if (stopped) {
            synchronized (this) {
                checkUsable();
            }
        }
        while (length > 0) {
            int n = Math.min(length, GATHER - gatheredLength);
            System.arraycopy(bytes, offset, gathered, gatheredLength, n);
            gatheredLength += n;
            offset += n;
            length -= n;
            if (gatheredLength == GATHER) {
                handOverGathered();
            }
        }
    }

    /**
     * Hashes the remaining bytes of {@code data} where they are, after everything fed before; {@code data}'s position
     * is left as it is. The bytes must not change until {@link #awaitLent} of the number returned (this buffer's
     * count among those lent) has returned.
     */
    public long lend(ByteBuffer data) throws IOException {
        handOverGathered();
        synchronized (this) {
            checkUsable();
            waiting.add(data.slice());
            if (waiting.size() == 1) {
                notifyAll();
            }
            return ++lent;
        }
    }

    /** Buffers lent so far. */
    public synchronized long lent() {
        return lent;
    }

    /** Whether the first {@code count} lent buffers are hashed (and the digest is done with them). */
    public synchronized boolean hashed(long count) {
        return lentHashed >= count;
    }

    /**
     * Waits until the first {@code count} lent buffers are hashed, so the digest no longer reads them.
     *
     * @throws IOException when the digest failed (the cause attached) or the wait was interrupted; lent buffers may
     *                     still be read until {@link #close}
     */
    public synchronized void awaitLent(long count) throws IOException {
        while (lentHashed < count) {
            checkUsable();
            waitHere();
        }
    }

    /** The digest of everything fed, once the thread has hashed it all; the thread ends. */
    public byte[] digest() throws IOException {
        handOverGathered();
        synchronized (this) {
            while (!waiting.isEmpty()) {
                checkUsable();
                waitHere();
            }
            checkUsable();
            digested = true;
            closed = true;
            stopped = true;
            notifyAll();
        }
        joinThread();
        return digest.digest();
    }

    /**
     * Stops the thread and waits, however long it takes, until it ended: then no lent buffer is read any more. A
     * digest not asked for yet is lost.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            stopped = true;
            waiting.clear();
            notifyAll();
        }
        joinThread();
    }

    private void hashInOrder() {
        while (true) {
            Object next;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        failure = e;
                        stopped = true;
                        notifyAll();
                        return;
                    }
                }
                if (waiting.isEmpty()) {
                    return; // closed, or all hashed for digest()
                }
                next = waiting.peek(); // stays queued while hashed: digest() waits for an empty queue
            }
            try {
                if (next instanceof ByteBuffer data) {
                    digest.update(data);
                } else {
                    digest.update((byte[]) next);
                }
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    failure = e;
                    stopped = true;
                    waiting.clear();
                    notifyAll();
                }
                return;
            }
            synchronized (this) {
                if (waiting.peek() == next) { // close() may have cleared the queue meanwhile
                    waiting.poll();
                    if (next instanceof ByteBuffer) {
                        lentHashed++;
                    } else {
                        copiedWaiting -= ((byte[]) next).length;
                    }
                }
                notifyAll();
            }
        }
    }

    private void handOverGathered() throws IOException {
        if (gatheredLength == 0) {
            return;
        }
        byte[] copy = Arrays.copyOf(gathered, gatheredLength);
        gatheredLength = 0;
        synchronized (this) {
            while (copiedWaiting >= MAX_COPIED_WAITING) {
                checkUsable();
                waitHere();
            }
            checkUsable();
            waiting.add(copy);
            copiedWaiting += copy.length;
            if (waiting.size() == 1) {
                notifyAll();
            }
        }
    }

    /** Throws the digest's failure, or that it was closed: nothing fed after either counts. */
    private void checkUsable() throws IOException {
        if (failure != null) {
            throw new IOException("computing the " + digest.getAlgorithm() + " digest failed: " + failure, failure);
        }
        if (closed) {
            throw new IOException(digested ? "the digest was already taken" : "the digest was closed");
        }
    }

    private void waitHere() throws IOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the " + digest.getAlgorithm() + " digest");
        }
    }

    private void joinThread() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // it ends soon: it only finishes the update it is in
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
