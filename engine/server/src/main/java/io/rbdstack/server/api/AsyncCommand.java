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
    }
}
