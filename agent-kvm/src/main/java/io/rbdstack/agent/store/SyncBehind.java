package io.rbdstack.agent.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file being written whose bytes go to the disk while it is still being written: every {@link #EVERY} bytes, the
 * data written so far is synced ({@code fdatasync}) on another thread, so the sync that makes the finished file
 * durable ({@link #finish}, then the caller's own) finds little left to write. The kernel otherwise keeps a backup's
 * file in the page cache until that last sync: it took 650-870 ms after a 1 GiB backup's 3.2-15 s, 66 ms after a 5 %
 * incremental's 330 ms, all of it after the data was read. A sync's failure is the file's: the background sync
 * consumes the kernel's writeback error, so it is thrown from the next write past the threshold, {@link #finish} or
 * {@link #close}. An interrupt of the writing thread closes the channel, and the JDK's close waits for the sync
 * under way (at most {@link #EVERY} bytes of data).
 */
final class SyncBehind implements FileBody {

    /** Bytes written between two syncs started: a few per incremental, one per 16 RBD objects of a full backup. */
    static final long EVERY = 16L << 20;
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Syncs of every store's files; one at a time per file, so as many threads as files being written at most. */
    private static final ExecutorService SYNCS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "sync-behind-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final FileChannel file;
    private final long every;
    private long sinceSyncStarted;
    private int syncsStarted;
    private Future<?> syncing;
    private boolean closed;

    SyncBehind(FileChannel file) {
        this(file, EVERY);
    }

    SyncBehind(FileChannel file, long every) {
        if (every <= 0) {
            throw new IllegalArgumentException("a sync every " + every + " bytes");
        }
        this.file = file;
        this.every = every;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        ensureOpen();
        return (int) counted(file.write(source));
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        ensureOpen();
        return counted(file.write(sources, offset, length));
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
        return write(sources, 0, sources.length);
    }

    /** Waits for the sync under way, if any, and throws its failure: the caller syncs the rest itself. */
    @Override
    public void finish() throws IOException {
        awaitSync();
    }

    /** Syncs started so far (tests). */
    int syncsStarted() {
        return syncsStarted;
    }

    private long counted(long written) throws IOException {
        sinceSyncStarted += written;
        if (sinceSyncStarted >= every && (syncing == null || syncing.isDone())) {
            sinceSyncStarted = 0;
            awaitSync(); // done already: only its failure, if it failed
            syncsStarted++;
            syncing = SYNCS.submit(() -> {
                file.force(false);
                return null;
            });
        }
        return written;
    }

    /** Waits for the sync under way, if any (still under way when interrupted), and throws its failure. */
    private void awaitSync() throws IOException {
        if (syncing == null) {
            return;
        }
        try {
            syncing.get();
            syncing = null;
        } catch (ExecutionException e) {
            syncing = null;
            if (e.getCause() instanceof IOException io) {
                throw new IOException("cannot sync the file being written: " + io.getMessage(), io);
            }
            throw new IOException("cannot sync the file being written", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the file's sync");
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && file.isOpen();
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Waits, however long it takes, for the sync under way (so no thread still syncs a file the caller deletes or
     * renames next) and throws its failure (after a failed write, try-with-resources adds it to the write's); leaves
     * the file open: it is the caller's.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    awaitSync();
                    break;
                } catch (InterruptedIOException e) {
                    interrupted = true;
                    Thread.interrupted(); // awaitSync set it again; wait on, the flag is restored below
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt(); // also when the sync failed
            }
        }
    }
}
