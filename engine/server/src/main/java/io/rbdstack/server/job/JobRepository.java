package io.rbdstack.server.job;

import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** async_job rows. */
public final class JobRepository {

    private static final String COLUMNS = "j.id, j.uuid, j.user_id, u.uuid AS user_uuid, j.account_id,"
            + " a.uuid AS account_uuid, j.cmd, j.instance_type, j.instance_id, j.job_status, j.job_process_status,"
            + " j.job_result_code, j.job_result_type, j.job_result, j.executing_msid, j.created, j.completed, j.bytes_done, j.bytes_total, j.bytes_per_second,"
            + " j.transfers_ahead"
            + " FROM async_job j JOIN user u ON u.id = j.user_id JOIN account a ON a.id = j.account_id";

    private final Jdbc jdbc;

    public JobRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public long create(String uuid, long userId, long accountId, String cmd, String cmdInfo, String instanceType,
                       String instanceId, long msid) {
        Instant now = Instant.now();
        return jdbc.insert("INSERT INTO async_job (uuid, user_id, account_id, cmd, cmd_info, instance_type, instance_id,"
                        + " job_status, executing_msid, created, last_updated) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                uuid, userId, accountId, cmd, cmdInfo, instanceType, instanceId, msid, now, now);
    }

    public void progress(long id, int processStatus) {
        jdbc.update("UPDATE async_job SET job_process_status = ?, last_updated = ? WHERE id = ? AND job_status = 0",
                processStatus, Instant.now(), id);
    }

    /** A transfer's progress: the percentage, bytes done and total, and the rate (null until it can be told). */
    public void transferred(long id, int processStatus, long bytesDone, long bytesTotal, Long bytesPerSecond) {
        jdbc.update("UPDATE async_job SET job_process_status = ?, bytes_done = ?, bytes_total = ?,"
                + " bytes_per_second = COALESCE(?, bytes_per_second), last_updated = ? WHERE id = ? AND job_status = 0",
                processStatus, bytesDone, bytesTotal, bytesPerSecond, Instant.now(), id);
    }

    /** The job's transfer waits for a worker of its host, {@code ahead} waiting transfers before it. */
    public void transferQueued(long id, int ahead) {
        jdbc.update("UPDATE async_job SET transfers_ahead = ?, last_updated = ? WHERE id = ? AND job_status = 0",
                ahead, Instant.now(), id);
    }

    /** The job's transfer left the queue: a worker of its host runs it. */
    public void transferStarted(long id) {
        jdbc.update("UPDATE async_job SET transfers_ahead = NULL, last_updated = ? WHERE id = ? AND job_status = 0",
                Instant.now(), id);
    }

    /**
     * Deletes jobs that finished before {@code cutoff} (CloudStack's job.expire.minutes), a bounded batch
     * at a time; pending jobs are never purged.
     */
    public int purgeFinishedBefore(Instant cutoff) {
        int purged = 0;
        int batch;
        do {
            batch = jdbc.update("DELETE FROM async_job WHERE completed < ? AND job_status <> 0 ORDER BY completed"
                    + " LIMIT 10000", cutoff);
            purged += batch;
        } while (batch == 10_000);
        return purged;
    }

    /** Completes a pending job; false if it was no longer pending. */
    public boolean complete(long id, int status, int resultCode, String resultJson) {
        Instant now = Instant.now();
        return jdbc.update("UPDATE async_job SET job_status = ?, job_result_code = ?, job_result_type = 'object',"
                        + " job_result = ?, completed = ?, last_updated = ? WHERE id = ? AND job_status = 0",
                status, resultCode, resultJson, now, now, id) == 1;
    }

    /** Fails every pending job run by a management server process other than {@code aliveMsids}. */
    public int failOrphans(List<Long> aliveMsids, String resultJson) {
        String alive = aliveMsids.isEmpty() ? "0" : String.join(",", aliveMsids.stream().map(String::valueOf).toList());
        Instant now = Instant.now();
        return jdbc.update("UPDATE async_job SET job_status = 2, job_result_code = 530, job_result_type = 'object',"
                + " job_result = ?, completed = ?, last_updated = ? WHERE job_status = 0 AND executing_msid NOT IN ("
                + alive + ")", resultJson, now, now);
    }

    /** Fails this process's own pending jobs (at shutdown, after the grace period). */
    public int failPendingOf(long msid, String resultJson) {
        Instant now = Instant.now();
        return jdbc.update("UPDATE async_job SET job_status = 2, job_result_code = 530, job_result_type = 'object',"
                + " job_result = ?, completed = ?, last_updated = ? WHERE job_status = 0 AND executing_msid = ?",
                resultJson, now, now, msid);
    }

    public Optional<AsyncJob> findByUuid(String uuid) {
        return jdbc.queryOne("SELECT " + COLUMNS + " WHERE j.uuid = ?", JobRepository::map, uuid);
    }

    /**
     * One page of jobs, newest first: the page's ids are read from the primary key or, for one account,
     * from its (account_id, id) index; only those rows are joined with their user and account.
     */
    public List<AsyncJob> list(Optional<Long> accountId, String limit) {
        Where where = accountWhere(accountId);
        return jdbc.query("SELECT " + COLUMNS + " JOIN (SELECT j.id FROM async_job j" + where.sql()
                + " ORDER BY j.id DESC" + limit + ") page ON page.id = j.id ORDER BY j.id DESC", JobRepository::map,
                where.args());
    }

    public long count(Optional<Long> accountId) {
        Where where = accountWhere(accountId);
        return jdbc.queryLong("SELECT COUNT(*) FROM async_job j" + where.sql(), where.args());
    }

    private static Where accountWhere(Optional<Long> accountId) {
        return Where.empty().andIf("j.account_id = ?", accountId);
    }

    private static AsyncJob map(ResultSet rs) throws SQLException {
        return new AsyncJob(rs.getLong("id"), rs.getString("uuid"), rs.getLong("user_id"), rs.getString("user_uuid"),
                rs.getLong("account_id"), rs.getString("account_uuid"), rs.getString("cmd"), rs.getString("instance_type"),
                rs.getString("instance_id"), rs.getInt("job_status"), rs.getInt("job_process_status"),
                rs.getInt("job_result_code"), rs.getString("job_result_type"), rs.getString("job_result"),
                rs.getLong("executing_msid"), Jdbc.instant(rs, "created"), Jdbc.instant(rs, "completed"),
                rs.getObject("bytes_done", Long.class), rs.getObject("bytes_total", Long.class),
                rs.getObject("bytes_per_second", Long.class), rs.getObject("transfers_ahead", Integer.class));
    }
}
