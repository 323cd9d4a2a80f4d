package io.rbdstack.server.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Incident;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs async jobs on a bounded pool. The job row is written before the work starts and is owned by
 * this process's msid; the result or the error is written when it ends, so queryAsyncJobResult
 * works from any management server. Each job's Scheduled, Started and Completed events are recorded here.
 */
public final class AsyncJobManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncJobManager.class);
    private static final String SERVER_STOPPED = "The management server running this job stopped before it finished";

    private final JobRepository jobs;
    private final long msid;
    /**
     * Most jobs running at once; beyond it a job waits for one to end. Far above {@code job.threads}: a job waiting
     * for its host's transfer workers (a backup behind others) holds its thread, and a create must not wait
     * behind it.
     */
    static final int MAX_RUNNING_JOBS = 256;
    private static final long IDLE_EXTRA_THREAD_SECONDS = 60;

    private final ThreadPoolExecutor executor;
    private final ActionEvents events;

    /**
     * Hands a job to an idle thread only, so that the pool starts another thread rather than queueing it (up to
     * {@link #MAX_RUNNING_JOBS}); past that, the pool's rejection puts it here, where the next free thread takes it.
     */
    private static final class HandOffQueue extends LinkedTransferQueue<Runnable> {
        @Override
        public boolean offer(Runnable job) {
            return tryTransfer(job);
        }
    }

    /** {@code threads}: kept ready; when all are busy, more start (and end after a minute idle). */
    public AsyncJobManager(JobRepository jobs, long msid, int threads, ActionEvents events) {
        this(jobs, msid, threads, MAX_RUNNING_JOBS, events);
    }

    /** {@code maxRunning}: jobs running at once at most, the rest wait (tests set it low). */
    AsyncJobManager(JobRepository jobs, long msid, int threads, int maxRunning, ActionEvents events) {
        this.jobs = jobs;
        this.msid = msid;
        this.events = events;
        AtomicInteger n = new AtomicInteger();
        HandOffQueue waiting = new HandOffQueue();
        this.executor = new ThreadPoolExecutor(threads, Math.max(threads, maxRunning), IDLE_EXTRA_THREAD_SECONDS,
                TimeUnit.SECONDS, waiting, r -> {
                    Thread t = new Thread(r, "job-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, (job, pool) -> {
                    if (pool.isShutdown()) {
                        throw new RejectedExecutionException("the job manager is closed");
                    }
                    waiting.put(job); // every thread busy: the next one to end its job takes it (put never calls offer)
                });
    }

    /** Persists the job and queues its work; returns the job's uuid. */
    public String submit(Caller caller, String command, Map<String, String> loggableParams,
                         AsyncCommand.AsyncStart start) {
        String uuid = UUID.randomUUID().toString();
        long id = jobs.create(uuid, caller.userId(), caller.accountId(), command, json(loggableParams),
                start.instanceType(), start.instanceId(), msid);
        Optional<EventResource> resource = start.instanceType() == null || start.instanceId() == null
                ? Optional.empty() : Optional.of(new EventResource(start.instanceType(), start.instanceId()));
        Optional<ActionEvents.JobTrail> trail = events.scheduled(caller, command, resource);
        executor.execute(() -> run(id, uuid, command, start.work(), trail));
        return uuid;
    }

    private void run(long id, String uuid, String command, AsyncCommand.JobWork work,
                     Optional<ActionEvents.JobTrail> trail) {
        long t0 = System.nanoTime();
        trail.ifPresent(events::started);
        ApiException failure = null;
        try {
            ObjectNode result = work.run(new JobProgressRecorder(jobs, id));
            jobs.complete(id, AsyncJob.SUCCEEDED, 0, result.toString());
            LOG.info("Job {} ({}) succeeded in {} ms", uuid, command, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception | Error e) {
            failure = failure(uuid, command, e);
            jobs.complete(id, AsyncJob.FAILED, failure.errorCode().httpCode(), errorResult(failure));
        }
        ApiException outcome = failure;
        trail.ifPresent(job -> events.ended(job, outcome));
    }

    /**
     * What a failed job reports: a caller's error as it is; an internal fault (a 530, or any other
     * exception) as an incident whose id the ERROR log line with the details also carries.
     */
    static ApiException failure(String jobUuid, String command, Throwable e) {
        String where = "Job " + jobUuid + " (" + command + ")";
        if (e instanceof ApiException api && api.errorCode() != ApiErrorCode.INTERNAL_ERROR) {
            LOG.info("{} failed: {}", where, api.getMessage());
            return api;
        }
        String summary = e instanceof ApiException api ? api.getMessage() : "Internal error running " + command;
        return Incident.report(LOG, where, summary, e);
    }

    /** CloudStack's failed jobresult: {@code {"errorcode": …, "cserrorcode": …, "errortext": …}}. */
    public static String errorResult(ApiException e) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("errorcode", e.errorCode().httpCode());
        if (e.csErrorCode() != 0) {
            node.put("cserrorcode", e.csErrorCode());
        }
        node.put("errortext", e.getMessage());
        return node.toString();
    }

    /**
     * Fails the pending jobs of management servers other than {@code aliveMsids}, which stopped
     * without finishing them, as one incident.
     */
    public static void failJobsOfStoppedServers(JobRepository jobs, List<Long> aliveMsids) {
        Incident incident = Incident.open();
        int orphans = jobs.failOrphans(aliveMsids, errorResult(incident.error(SERVER_STOPPED, null)));
        if (orphans > 0) {
            LOG.error("Incident {}: marked {} job(s) of stopped management servers as failed", incident.id(), orphans);
        }
    }

    /** Stops taking jobs, lets running ones finish within {@code grace}, fails the rest with a reason. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public void close(Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        Incident incident = Incident.open();
        int failed = jobs.failPendingOf(msid, errorResult(incident.error(SERVER_STOPPED, null)));
        if (failed > 0) {
            LOG.error("Incident {}: failed {} job(s) still running at shutdown", incident.id(), failed);
        }
    }

    /** async_job.cmd_info is a TEXT column; a record too long for it keeps the parameter names only. */
    private static final int MAX_CMD_INFO = 60_000;

    private static String json(Map<String, String> params) {
        try {
            String json = ApiJson.MAPPER.writeValueAsString(params);
            return json.length() <= MAX_CMD_INFO ? json
                    : ApiJson.MAPPER.writeValueAsString(Map.of("parameters", String.join(",", params.keySet())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
