package io.rbdstack.agent.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's file read ahead, and hashed with SHA-256, on a thread of its own. A restore spends most of its time
 * waiting for librbd's writes; meanwhile this thread reads and hashes the next bytes, so a store read one call at a
 * time (libnfs: one 1 MiB READ RPC at a time) and the hash no longer add to the restore's time.
 *
 * <p>The thread opens the file itself and closes it at its end: a libnfs context belongs to the thread that made
 * it ({@code NfsContext}). Memory is a fixed set of buffers, filled in turn and handed to the reader in order;
 * the thread waits when all are full. A failed read is thrown, with its cause, by the reader's next read once the
 * bytes before it are read. {@link #close} stops the thread and waits for it: each of its reads is bounded by the
 * store's own timeouts.
 */
public final class ReadAheadFile extends InputStream {

    private static final Logger LOG = LoggerFactory.getLogger(ReadAheadFile.class);

    /** How long {@link #close} waits for the thread at most; longer than any store's per-read timeout. */
    static final long CLOSE_WAIT_MILLIS = 60_000;

    /** Opens the file; called on the read-ahead thread, which closes what it returns. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** A filled buffer, or the end of the file ({@code buffer} null), or the read's failure. */
    private record Chunk(byte[] buffer, int length, Throwable failure) {
    }

    private static final Chunk END = new Chunk(null, 0, null);
    /** Handed to the thread, in place of a free buffer, to stop it. */
    private static final byte[] STOP = new byte[0];

    private final String what;
    private final BlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
    private final BlockingQueue<Chunk> filled = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final long closeWaitMillis;
    private final MessageDigest digest = newSha256();
    /** {@link #read()}'s one byte, reused: a diff stream reads each record's tag with it. */
    private final byte[] one = new byte[1];
    private volatile boolean stopping;
    /** Set by the thread before it hands out {@link #END}. */
    private volatile String sha256;
    private volatile long readNanos;
    private volatile long hashNanos;
    private volatile long stalledNanos;
    private long waitedNanos;
    private long bytesRead;
    private Chunk current;
    private int position;
    private boolean ended;
    private Throwable failed;
    private boolean closed;

    private ReadAheadFile(String what, int buffers, int bufferBytes, long closeWaitMillis, Opener opener,
                          CompletableFuture<Void> opened) {
        this.what = what;
        this.closeWaitMillis = closeWaitMillis;
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferBytes]);
        }
        this.thread = new Thread(() -> run(opener, opened), "read-ahead " + what);
        thread.setDaemon(true);
    }

    /**
     * Opens {@code relative} of {@code store} on a new thread and reads it ahead into {@code buffers} buffers of
     * {@code bufferBytes}; returns once the file is open, or throws why it is not (as the store's
     * {@link ImageStore#openForReading} would).
     */
    public static ReadAheadFile open(ImageStore store, String relative, int buffers, int bufferBytes)
            throws IOException {
        Objects.requireNonNull(store, "store");
        return open(relative, buffers, bufferBytes, () -> store.openForReading(relative));
    }

    /** {@link #open(ImageStore, String, int, int)} of what {@code opener} opens; {@code what} names it in errors. */
    static ReadAheadFile open(String what, int buffers, int bufferBytes, Opener opener) throws IOException {
        return open(what, buffers, bufferBytes, CLOSE_WAIT_MILLIS, opener);
    }

    /** As above, with {@link #close} waiting at most {@code closeWaitMillis} for the thread (tests). */
    static ReadAheadFile open(String what, int buffers, int bufferBytes, long closeWaitMillis, Opener opener)
            throws IOException {
        if (buffers < 1 || bufferBytes < 1) {
            throw new IllegalArgumentException("a read-ahead needs at least one buffer of at least one byte");
        }
        CompletableFuture<Void> opened = new CompletableFuture<>();
        ReadAheadFile file = new ReadAheadFile(what, buffers, bufferBytes, closeWaitMillis, opener, opened);
        file.thread.start();
        try {
            opened.get();
            return file;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            file.close();
            throw new InterruptedIOException("interrupted while opening " + what);
        } catch (ExecutionException e) {
            file.close();
            throw rethrown(e.getCause(), what);
        }
    }

    // The read-ahead thread.

    private void run(Opener opener, CompletableFuture<Void> opened) {
        InputStream in = null;
        Throwable failure = null;
        boolean atEnd = false;
        try {
            in = Objects.requireNonNull(opener.open(), "the store opened no stream");
            opened.complete(null);
            atEnd = readAll(in);
        } catch (Throwable e) {
            failure = e;
        } finally {
            if (in != null) {
                try {
                    in.close();
                } catch (Throwable e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (failure != null) {
            if (!opened.completeExceptionally(failure)) {
                filled.add(new Chunk(null, 0, failure));
            }
        } else if (atEnd) {
            sha256 = HexFormat.of().formatHex(digest.digest());
            filled.add(END);
        }
    }

    /** Reads and hashes to the end of the file (true), or until stopped (false). */
    private boolean readAll(InputStream in) throws IOException, InterruptedException {
        while (true) {
            long waitStart = System.nanoTime();
            byte[] buffer = free.take();
            long readStart = System.nanoTime();
            stalledNanos += readStart - waitStart;
            if (stopping || buffer == STOP) {
                return false;
            }
            int length = 0;
            int n = 0;
            while (length < buffer.length && (n = in.read(buffer, length, buffer.length - length)) >= 0) {
                length += n;
            }
            // Closed while this read ran: the reader wants nothing more, and may wait for no buffer back.
            if (stopping) {
                return false;
            }
            long hashStart = System.nanoTime();
            readNanos += hashStart - readStart;
            digest.update(buffer, 0, length);
            hashNanos += System.nanoTime() - hashStart;
            if (length > 0) {
                filled.add(new Chunk(buffer, length, null));
            }
            if (n < 0) {
                return true;
            }
        }
    }

    // The reader's side.

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int from, int length) throws IOException {
        Objects.checkFromIndexSize(from, length, bytes.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (length == 0) {
            return 0;
        }
        while (current == null || position == current.length()) {
            if (current != null) {
                free.add(current.buffer());
                current = null;
            }
            if (failed != null) {
                throw rethrown(failed, what);
            }
            if (ended) {
                return -1;
            }
            Chunk next = nextChunk();
            if (next.failure() != null) {
                failed = next.failure();
            } else if (next == END) {
                ended = true;
            } else {
                current = next;
                position = 0;
            }
        }
        int n = Math.min(length, current.length() - position);
        System.arraycopy(current.buffer(), position, bytes, from, n);
        position += n;
        bytesRead += n;
        return n;
    }

    private Chunk nextChunk() throws InterruptedIOException {
        long start = System.nanoTime();
        try {
            return filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to read " + what);
        } finally {
            waitedNanos += System.nanoTime() - start;
        }
    }

    /** The file's SHA-256 (hex); known once a read has returned the end of the file. */
    public String sha256() {
        if (!ended) {
            throw new IllegalStateException(what + " has not been read to its end");
        }
        return sha256;
    }

    /** Bytes handed to the reader so far. */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Where the time went, for the log: the reader waiting for bytes (what the read-ahead failed to hide), and the
     * thread reading the store, hashing, and waiting for the reader to free a buffer.
     */
    public String timings() {
        return "waited " + millis(waitedNanos) + " ms for it; its thread read for " + millis(readNanos) + " ms, hashed for "
                + millis(hashNanos) + " ms, waited " + millis(stalledNanos) + " ms for free buffers";
    }

    /** Buffers this stream still holds (tests): none once closed. */
    int buffersHeld() {
        return (int) free.stream().filter(buffer -> buffer != STOP).count() + filled.size() + (current != null && current.buffer() != null ? 1 : 0);
    }

    /** Whether the read-ahead thread is still running (tests). */
    boolean threadAlive() {
        return thread.isAlive();
    }

    /**
     * Stops the read-ahead thread and waits until it has closed the file (at most {@link #CLOSE_WAIT_MILLIS}; it
     * closes it on its own when a read outlives that), then drops the buffers. An interrupted caller still waits
     * (a transfer is interrupted when the agent loses its connection; the file must be closed all the same) and
     * finds its interrupt set again on return.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        // STOP goes in last: clearing after it could remove it and leave the thread waiting for a buffer forever.
        free.clear();
        free.add(STOP);
        boolean interrupted = joinUninterruptibly();
        if (thread.isAlive()) {
            LOG.warn("The read-ahead of {} is still in a read after {} ms; it closes the file when that returns", what,
                    closeWaitMillis);
        }
        current = null;
        filled.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the thread until the close deadline, through interrupts; returns whether one came. */
    private boolean joinUninterruptibly() {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(closeWaitMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return interrupted;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                if (!thread.isAlive()) {
                    return interrupted;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    private static IOException rethrown(Throwable failure, String what) {
        if (failure instanceof IOException e) {
            return e;
        }
        return new IOException("cannot read " + what + ": "
                + (failure.getMessage() != null ? failure.getMessage() : failure.toString()), failure);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
