package io.rbdstack.server.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.db.PageAndCount;
import java.util.List;
import java.util.Optional;

/** queryAsyncJobResult and listAsyncJobs. */
public final class JobCommands {

    private JobCommands() {
    }

    public static void register(CommandRegistry registry, JobRepository jobs) {
        registry.register(QueryAsyncJobResult.class, jobs);
        registry.register(ListAsyncJobs.class, jobs);
    }

    /** A job as CloudStack reports it; {@code jobresult} is the stored result object. */
    static ObjectNode view(AsyncJob job) {
        ObjectNode node = ApiJson.MAPPER.createObjectNode();
        node.put("accountid", job.accountUuid());
        node.put("userid", job.userUuid());
        node.put("cmd", job.cmd());
        node.put("jobstatus", job.status());
        node.put("jobprocstatus", job.processStatus());
        node.put("jobresultcode", job.resultCode());
        if (job.bytesTotal() != null) {
            // rbdstack's own fields: how far a transfer (a backup, a restore) is.
            node.put("bytesdone", job.bytesDone());
            node.put("bytestotal", job.bytesTotal());
            if (job.bytesPerSecond() != null) {
                node.put("bytespersecond", job.bytesPerSecond());
            }
        }
        if (job.status() == AsyncJob.PENDING && job.transfersAhead() != null) {
            // rbdstack's own: the job's transfer waits for one of its host's transfer workers.
            node.put("transferqueued", true);
            node.put("transfersahead", job.transfersAhead());
        }
        if (job.status() != AsyncJob.PENDING) {
            node.put("jobresulttype", job.resultType());
            try {
                node.set("jobresult", ApiJson.MAPPER.readTree(job.result()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("Job " + job.uuid() + " has an unreadable result", e);
            }
        }
        if (job.instanceType() != null) {
            node.put("jobinstancetype", job.instanceType());
        }
        if (job.instanceId() != null) {
            node.put("jobinstanceid", job.instanceId());
        }
        node.put("created", ApiJson.date(job.created()));
        if (job.completed() != null) {
            node.put("completed", ApiJson.date(job.completed()));
        }
        node.put("jobid", job.uuid());
        return node;
    }

    @Command(name = "queryAsyncJobResult", description = "Retrieves the current status of asynchronous job.",
            access = Access.USER, response = "asyncjobs")
    record QueryAsyncJobResult(@Param(description = "the ID of the asynchronous job", entity = Entity.ASYNC_JOB)
                               String jobId) implements SyncCommand<JobRepository> {

        @Override
        public ObjectNode execute(Caller caller, JobRepository jobs) {
            // Another account's job reads exactly like one that never existed: its existence is not the caller's business.
            AsyncJob job = jobs.findByUuid(jobId)
                    .filter(j -> caller.isRootAdmin() || j.accountId() == caller.accountId())
                    .orElseThrow(() -> ApiException.noSuchEntity("queryAsyncJobResult", "jobid", jobId));
            return view(job);
        }
    }

    @Command(name = "listAsyncJobs", description = "Lists all pending asynchronous jobs for the account.",
            access = Access.USER, response = "asyncjobs")
    record ListAsyncJobs(@Param(description = "admins: true to list the jobs of every account") Optional<Boolean> listAll,
                         PageParams page) implements SyncCommand<JobRepository> {

        @Override
        public ObjectNode execute(Caller caller, JobRepository jobs) {
            Optional<Long> account = caller.isRootAdmin() && listAll.orElse(false) ? Optional.empty()
                    : Optional.of(caller.accountId());
            PageAndCount.Result<ObjectNode> found = PageAndCount.read(() -> jobs.list(account, page.sql()).stream()
                    .map(JobCommands::view).toList(), () -> jobs.count(account));
            return ApiJson.list("asyncjobs", found.rows(), found.count());
        }
    }
}
