package io.rbdstack.agent.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where backup files live, whatever the store is: a directory on this host
 * ({@link ImageStoreDirectory}) or an NFS export reached through libnfs
 * ({@link io.rbdstack.agent.store.nfs.NfsStore}). Files are named by paths relative to the store's
 * root ({@link StoreRelativePath}); backups and restores are written and read through this alone, so
 * every store kind shares their code.
 */
public interface ImageStore {

    /** Total and used bytes of the file system the store is on. */
    long[] capacity() throws IOException;

    /** Proves the store can be written: creates, syncs and deletes a probe file in its root. */
    void checkWritable() throws IOException;

    /**
     * Writes {@code relative} atomically: under a temporary name beside it first, synced, then
     * renamed onto the name, so a failure never leaves a complete-looking file. Missing directories
     * are created.
     */
    <T> Written<T> writeAtomically(String relative, Writer<T> writer) throws Exception;

    /** Opens {@code relative} for reading. */
    InputStream openForReading(String relative) throws IOException;

    /** The size in bytes of {@code relative}. */
    long size(String relative) throws IOException;

    /** Deletes {@code relative}; false when it was not there. */
    boolean delete(String relative) throws IOException;

    /** Writes a file's content; what it returns is handed back in {@link Written}. */
    @FunctionalInterface
    interface Writer<T> {
        T write(OutputStream out) throws Exception;
    }

    /** What {@link #writeAtomically} wrote: the writer's result and the file's size. */
    record Written<T>(T value, long sizeBytes) {
    }
}
