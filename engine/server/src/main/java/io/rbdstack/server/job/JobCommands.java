package io.rbdstack.server.job;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
import io.rbdstack.server.api.SyncCommand;
import java.util.List;

/** queryAsyncJobResult and listAsyncJobs. */
public final class JobCommands {

    private JobCommands() {
    }

    public static void register(CommandRegistry registry, JobRepository jobs) {
        registry.register(new QueryAsyncJobResult(jobs)).register(new ListAsyncJobs(jobs));
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

    static final class QueryAsyncJobResult implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("queryAsyncJobResult",
                "Retrieves the current status of asynchronous job.", Access.USER, false, "asyncjobs",
                List.of(required("jobid", ParamType.UUID, "the ID of the asynchronous job")));

        private final JobRepository jobs;

        QueryAsyncJobResult(JobRepository jobs) {
            this.jobs = jobs;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String jobId = args.requireString("jobid");
            AsyncJob job = jobs.findByUuid(jobId)
                    .filter(j -> caller.isRootAdmin() || j.accountId() == caller.accountId())
                    .orElseThrow(() -> ApiException.invalidParameter("Unable to find job by id " + jobId + " (parameter jobid)"));
            return view(job);
        }
    }

    static final class ListAsyncJobs implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listAsyncJobs",
                "Lists all pending asynchronous jobs for the account.", Access.USER, false, "asyncjobs",
                List.of(optional("listall", ParamType.BOOLEAN, "admins: true to list the jobs of every account"),
                        optional("page", ParamType.INTEGER, "page number, from 1"),
                        optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final JobRepository jobs;

        ListAsyncJobs(JobRepository jobs) {
            this.jobs = jobs;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            Long account = caller.isRootAdmin() && args.flag("listall") ? null : caller.accountId();
            List<ObjectNode> views = jobs.list(account, args.paging().sql()).stream().map(JobCommands::view).toList();
            return ApiJson.list("asyncjobs", views, jobs.count(account));
        }
    }
}
