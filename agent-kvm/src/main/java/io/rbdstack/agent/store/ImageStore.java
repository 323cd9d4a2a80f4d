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
     * Writes {@code relative} atomically as one attempt: under the attempt's own partial name beside
     * it first ({@link WriteAttempt#partialOf}; S3: a multipart upload of its own), synced, then
     * committed under the name without ever replacing a file there, so a failure never leaves a
     * complete-looking file and two attempts at the same file (a writer cut off from the server and
     * the retry sent elsewhere) never write or rename over each other's. Before writing, the partials
     * (uploads) of this file that earlier attempts began, and those of any file in the same directory
     * abandoned {@link PartialName#ABANDONED_AFTER} ago, are removed ({@link PartialName#removableBy}).
     * When the name is taken at the commit, the attempt succeeds leaving the file as it is if it holds exactly
     * the bytes it wrote (the same backup written twice), replaces it if it was finished before the attempt
     * began ({@link WriteAttempt#beganAfter}: an earlier attempt's, never recorded), and otherwise fails with a
     * {@link java.nio.file.FileAlreadyExistsException}, the file left as it is; its partial is removed either
     * way. Missing directories are created.
     */
    <T> Written<T> writeAtomically(String relative, WriteAttempt attempt, Writer<T> writer) throws Exception;

    /** {@link #writeAtomically(String, WriteAttempt, Writer)} as an attempt beginning now. */
    default <T> Written<T> writeAtomically(String relative, Writer<T> writer) throws Exception {
        return writeAtomically(relative, WriteAttempt.now(), writer);
    }

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
