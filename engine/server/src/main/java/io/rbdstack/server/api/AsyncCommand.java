package io.rbdstack.server.api;

/**
 * A command run as an async job. {@link #start} runs in the request: it checks state, persists what
 * must exist before the job (so a crash can be reconciled) and returns the work; the client gets
 * {@code id} + {@code jobid} at once and polls queryAsyncJobResult.
 */
public non-sealed interface AsyncCommand<D> extends ApiCommand<D> {

    AsyncStart start(Caller caller, D deps);

    /** What the job works on ({@code jobinstancetype}/{@code jobinstanceid}) and the work itself. */
    record AsyncStart(String instanceType, String instanceId, JobWork work) {
    }

    @FunctionalInterface
    interface JobWork {
        /** Returns the job result object, e.g. {@code {"host": {...}}}; an {@link ApiException} fails the job. */
        com.fasterxml.jackson.databind.node.ObjectNode run(JobProgress progress) throws Exception;
    }

    /** How a job tells queryAsyncJobResult how far it is. */
    interface JobProgress {
        /** Records {@code jobprocstatus}, a percentage. */
        void report(int status);

        /**
         * A transfer's progress: records the bytes done and total, the rate since the transfer started and
         * the percentage done as {@code jobprocstatus}.
         */
        void transferred(long doneBytes, long totalBytes);

        /** The job's transfer waits for one of its host's transfer workers, {@code ahead} waiting before it. */
        default void transferQueued(int ahead) {
        }

        /** A worker took the job's transfer after it waited. */
        default void transferStarted() {
        }

        /** This job's progress as a storage provider reports a transfer's: bytes, and waiting for a worker. */
        default io.rbdstack.spi.storage.TransferProgress transfer() {
            JobProgress job = this;
            return new io.rbdstack.spi.storage.TransferProgress() {
                @Override
                public void update(long doneBytes, long totalBytes) {
                    job.transferred(doneBytes, totalBytes);
                }

                @Override
                public void queued(int ahead) {
                    job.transferQueued(ahead);
                }

                @Override
                public void started() {
                    job.transferStarted();
                }
            };
        }
    }
}
