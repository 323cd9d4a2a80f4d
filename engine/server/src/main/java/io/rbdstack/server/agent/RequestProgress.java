package io.rbdstack.server.agent;

import io.rbdstack.spi.storage.TransferProgress;

/**
 * Receives the progress an agent reports while it runs one request ({@code done} of {@code total}), and, for a
 * transfer, its wait for one of its host's transfer workers ({@link HostTransferQueues}).
 */
@FunctionalInterface
public interface RequestProgress {

    RequestProgress IGNORED = (done, total) -> { };

    void progress(long done, long total);

    /** The transfer waits for a worker of its host, {@code ahead} waiting transfers before it. */
    default void queued(int ahead) {
    }

    /** A worker of its host took the transfer after it waited. */
    default void started() {
    }

    /** Hands every report to a storage provider's {@link TransferProgress}. */
    static RequestProgress of(TransferProgress transfer) {
        return new RequestProgress() {
            @Override
            public void progress(long done, long total) {
                transfer.update(done, total);
            }

            @Override
            public void queued(int ahead) {
                transfer.queued(ahead);
            }

            @Override
            public void started() {
                transfer.started();
            }
        };
    }
}
