package io.rbdstack.spi.storage;

/**
 * Where a provider reports how far a long copy (a backup, a restore, a clone) is: bytes done of bytes in
 * all. The engine shows it as the job's progress. Called from the thread waiting for the copy.
 */
@FunctionalInterface
public interface TransferProgress {

    /** Ignores every report (for callers that show no progress). */
    TransferProgress NONE = (doneBytes, totalBytes) -> { };

    void update(long doneBytes, long totalBytes);

    /**
     * The transfer waits for one of its host's transfer workers, behind {@code ahead} other waiting transfers; called
     * again as the queue moves. By default ignored.
     */
    default void queued(int ahead) {
    }

    /** A worker took the transfer after it had waited ({@link #queued}); by default ignored. */
    default void started() {
    }
}
