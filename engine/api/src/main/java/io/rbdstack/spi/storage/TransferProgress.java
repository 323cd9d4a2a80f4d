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
}
