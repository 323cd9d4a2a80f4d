package io.rbdstack.agent.store;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file written around the host's page cache ({@code O_DIRECT}): the bytes are gathered into an aligned native
 * buffer of {@link #STAGING} bytes, and each full buffer goes to the disk in one write on another thread while the
 * next one fills (a direct write returns only when the disk has the data: ~1 ms per MiB here, which the backup's
 * thread would otherwise wait for between its reads). A backup's file is written
 * once and read again only to verify or restore it, so caching it would only evict what the host's VMs and OSDs
 * use; and on these hosts the page cache's copy cost more than the backup's reads: writing 1 GiB and syncing it
 * took 2.8 s through the cache (2.4 s of it the kernel's copy into new page-cache pages) and 0.45 s direct, and a 5 %
 * incremental's 50 MiB took ~64 ms of the writing thread's CPU in that copy. Nothing is left to flush at the end but
 * the file's metadata.
 *
 * <p>Direct writes must start and end on the file system's block boundaries: the last, partial block is written
 * padded with zeroes and the file then cut to its length ({@link #finish}). Not thread-safe: one caller.
 */
final class DirectFileOutput implements FileBody {

    /**
     * One direct write: 1 GiB in 512 KiB writes took 0.48-0.58 s here, in 1 MiB ones 0.46-0.47 s, in 4 MiB ones 0.42 s,
     * in 256 KiB ones 0.70 s; two buffers per file are what four concurrent backups add to the agent's memory.
     */
    static final int STAGING = 512 << 10;
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Writes of every store's files; one at a time per file, so as many threads as files being written at most. */
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "direct-write-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private final FileChannel file;
    private final int alignment;
    /** Two staging buffers: one filling, the other being written or spare. */
    private final Memory memory;
    private ByteBuffer filling;
    private ByteBuffer spare;
    /** The write under way, which gives its buffer back; null when none. */
    private Future<ByteBuffer> writing;
    /** Where the next full buffer goes in the file. */
    private long flushed;
    private long length;
    private boolean finished;
    /** A write that failed: the file has a hole, nothing more goes to it. */
    private IOException failed;
    private boolean closed;

    /**
     * @param file a new, empty file opened for writing with {@code ExtendedOpenOption.DIRECT}
     * @param alignment its file system's block size (a power of two of at most {@link #STAGING} bytes)
     */
    DirectFileOutput(FileChannel file, int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1 || alignment > STAGING) {
            throw new IllegalArgumentException("direct writes aligned to " + alignment + " bytes");
        }
        this.file = file;
        this.alignment = alignment;
        this.memory = new Memory(2L * STAGING + alignment - 1L);
        Memory aligned = memory.align(alignment);
        this.filling = aligned.getByteBuffer(0, STAGING);
        this.spare = aligned.getByteBuffer(STAGING, STAGING);
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        ensureWritable();
        int n = source.remaining();
        while (source.hasRemaining()) {
            int take = Math.min(filling.remaining(), source.remaining());
            filling.put(filling.position(), source, source.position(), take);
            filling.position(filling.position() + take);
            source.position(source.position() + take);
            length += take;
            if (!filling.hasRemaining()) {
                writeFilled();
            }
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int count) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + count; i++) {
            n += write(sources[i]);
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] sources) throws IOException {
        return write(sources, 0, sources.length);
    }

    /**
     * Writes what is staged, the last block padded with zeroes, waits for the writes and cuts the file to the bytes
     * written; the caller syncs the file next (its size and blocks: the data itself is on the disk already).
     */
    @Override
    public void finish() throws IOException {
        ensureWritable();
        if (filling.position() > 0) {
            int padded = (filling.position() + alignment - 1) & -alignment;
            while (filling.position() < padded) {
                filling.put((byte) 0);
            }
            writeFilled();
        }
        awaitWrite();
        if (file.size() != length) {
            file.truncate(length);
        }
        finished = true;
    }

    /** The bytes written so far. */
    long length() {
        return length;
    }

    @Override
    public boolean isOpen() {
        return !closed && file.isOpen();
    }

    /**
     * Waits, however long it takes, for the write under way (its buffer is freed next) and frees the buffers; leaves
     * the file open: it is the caller's. A failure of that write is the caller's to have seen ({@link #finish}).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean interrupted = false;
        while (writing != null) {
            try {
                writing.get();
                writing = null;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                writing = null;
            }
        }
        memory.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands the full buffer to the writer once the previous write has ended, and fills the other meanwhile. */
    private void writeFilled() throws IOException {
        awaitWrite();
        ByteBuffer full = filling.flip();
        long position = flushed;
        flushed += full.remaining();
        filling = spare;
        spare = null;
        writing = WRITERS.submit(() -> {
            for (long at = position; full.hasRemaining(); ) {
                at += file.write(full, at);
            }
            return full.clear();
        });
    }

    /** Waits for the write under way, if any, takes its buffer back and throws its failure. */
    private void awaitWrite() throws IOException {
        if (writing == null) {
            return;
        }
        try {
            spare = writing.get();
            writing = null;
        } catch (ExecutionException e) {
            writing = null;
            Throwable cause = e.getCause();
            failed = new IOException("cannot write the file: " + (cause.getMessage() == null
                    ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
            throw failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a direct write");
        }
    }

    private void ensureWritable() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (failed != null) {
            throw new IOException("an earlier write to the file failed", failed);
        }
        if (finished) {
            throw new IOException("the file was finished already");
        }
    }
}
