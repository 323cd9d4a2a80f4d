package io.rbdstack.server.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs async jobs on a bounded pool. The job row is written before the work starts and is owned by
 * this process's msid; the result or the error is written when it ends, so queryAsyncJobResult
 * works from any management server.
 */
public final class AsyncJobManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncJobManager.class);

    private final JobRepository jobs;
    private final long msid;
    private final ExecutorService executor;

    public AsyncJobManager(JobRepository jobs, long msid, int threads) {
        this.jobs = jobs;
        this.msid = msid;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "job-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Persists the job and queues its work; returns the job's uuid. */
    public String submit(Caller caller, String command, Map<String, String> loggableParams,
                         AsyncCommand.AsyncStart start) {
        String uuid = UUID.randomUUID().toString();
        long id = jobs.create(uuid, caller.userId(), caller.accountId(), command, json(loggableParams),
                start.instanceType(), start.instanceId(), msid);
        executor.execute(() -> run(id, uuid, command, start.work()));
        return uuid;
    }

    private void run(long id, String uuid, String command, AsyncCommand.JobWork work) {
        long t0 = System.nanoTime();
        try {
            ObjectNode result = work.run(status -> jobs.progress(id, status));
            jobs.complete(id, AsyncJob.SUCCEEDED, 0, result.toString());
            LOG.info("Job {} ({}) succeeded in {} ms", uuid, command, (System.nanoTime() - t0) / 1_000_000);
        } catch (ApiException e) {
            LOG.info("Job {} ({}) failed: {}", uuid, command, e.getMessage());
            jobs.complete(id, AsyncJob.FAILED, e.errorCode().httpCode(), errorResult(e));
        } catch (Exception | Error e) {
            LOG.error("Job {} ({}) failed unexpectedly", uuid, command, e);
            ApiException internal = ApiException.internal(command + " failed: " + e.getMessage(), e);
            jobs.complete(id, AsyncJob.FAILED, internal.errorCode().httpCode(), errorResult(internal));
        }
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
        int failed = jobs.failPendingOf(msid, errorResult(ApiException.internal(
                "The management server running this job stopped before it finished", null)));
        if (failed > 0) {
            LOG.warn("Failed {} job(s) still running at shutdown", failed);
        }
    }

    private static String json(Map<String, String> params) {
        try {
            return ApiJson.MAPPER.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
