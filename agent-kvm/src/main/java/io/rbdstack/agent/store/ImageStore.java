package io.rbdstack.agent.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Where backup files live, whatever the store is: a directory on this host
 * ({@link ImageStoreDirectory}), an NFS export reached through libnfs
 * ({@link io.rbdstack.agent.store.nfs.NfsStore}) or an S3 bucket
 * ({@link io.rbdstack.agent.store.s3.S3Store}). Files are named by paths relative to the store's
 * root ({@link StoreRelativePath}); backups and restores are written and read through this alone, so
 * every store kind shares their code.
 */
public interface ImageStore {

    /** Total and used bytes of the file system the store is on. */
    long[] capacity() throws IOException;

    /** Proves the store can be written: creates, syncs and deletes a probe file in its root. */
    void checkWritable() throws IOException;

    /**
     * Writes {@code relative} atomically: under its partial name {@code <relative>.part} first (S3: a multipart
     * upload), synced, then given its name, so a failure never leaves a complete-looking file (its partial or
     * upload is removed). Each backup attempt writes a name of its own ({@link WriteAttempt#nameOf}), so no two
     * writers share a file or a partial and nothing is replaced: a file already at the name is refused
     * ({@link #taken}). Missing directories are created.
     */
    <T> Written<T> writeAtomically(String relative, Writer<T> writer) throws Exception;

    /**
     * Whether a write's stream keeps what it is given in buffers of its own until stored (S3's parts): a backup to
     * it then needs no deep read-ahead of its own (a full one reads half objects into one transfer buffer).
     */
    default boolean buffersWrites() {
        return false;
    }

    /**
     * Deletes the files of {@code directory} whose names start with {@code prefix}, partial ones too, but
     * those named in {@code keep} (S3: also aborts the open uploads of such keys, same checks); how many this
     * call removed (a partial file or an open upload counts one; one gone already, none). For the leftovers of a snapshot's backup attempts whose answers the server
     * never accepted, once none can still run. A missing directory has none; a link or a directory at such a
     * name is left (WARN), never followed. {@code prefix} must be {@link #checkLeftoverPrefix one snapshot's}.
     */
    int deleteLeftovers(String directory, String prefix, Set<String> keep) throws IOException;

    /**
     * Refuses a leftovers prefix that is not one snapshot's {@code <uuid>.}: one without the dot would take
     * another snapshot whose uuid it starts, one with a '/' reaches into a subdirectory.
     */
    static void checkLeftoverPrefix(String prefix) throws IOException {
        if (prefix == null || !prefix.endsWith(".") || !isUuid(prefix.substring(0, prefix.length() - 1))) {
            throw new IOException("leftovers prefix " + prefix + " refused: it must be a snapshot's '<uuid>.'");
        }
    }

    /** Whether {@code text} is a uuid as written by {@link UUID#toString} ({@link UUID#fromString} takes "1-1-1-1-1"). */
    private static boolean isUuid(String text) {
        try {
            return UUID.fromString(text).toString().equals(text.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Opens {@code relative} for reading. */
    InputStream openForReading(String relative) throws IOException;

    /** The size in bytes of {@code relative}. */
    long size(String relative) throws IOException;

    /** Deletes {@code relative}; false when it was not there. */
    boolean delete(String relative) throws IOException;

    /** The refusal of a write to a name a file already has: no write replaces a file. */
    static FileAlreadyExistsException taken(String where) {
        return new FileAlreadyExistsException(where, null, "a file is already there; each backup attempt writes a"
                + " name of its own and never replaces one");
    }

    /** Writes a file's content; what it returns is handed back in {@link Written}. */
    @FunctionalInterface
    interface Writer<T> {
        T write(OutputStream out) throws Exception;
    }

    /** What {@link #writeAtomically} wrote: the writer's result and the file's size. */
    record Written<T>(T value, long sizeBytes) {
    }
}
