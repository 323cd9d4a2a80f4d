package io.rbdstack.server.job;

import io.rbdstack.server.api.AsyncCommand;

/**
 * A running job's progress, written to its row: a percentage, or a transfer's bytes (done, total and the
 * average rate since its first report), of which the percentage is derived. Reports come at most about
 * once a second (agents throttle them), so each is one UPDATE.
 */
final class JobProgressRecorder implements AsyncCommand.JobProgress {

    private final JobRepository jobs;
    private final long jobId;
    private long firstNanos = -1;
    private long firstDone;
    private long furthest = -1;

    JobProgressRecorder(JobRepository jobs, long jobId) {
        this.jobs = jobs;
        this.jobId = jobId;
    }

    @Override
    public void report(int status) {
        jobs.progress(jobId, Math.max(0, Math.min(100, status)));
    }

    @Override
    public void transferQueued(int ahead) {
        jobs.transferQueued(jobId, Math.max(0, ahead));
    }

    @Override
    public void transferStarted() {
        jobs.transferStarted(jobId);
    }

    @Override
    public synchronized void transferred(long doneBytes, long totalBytes) {
        long now = System.nanoTime();
        if (doneBytes < furthest) {
            return; // reports may arrive out of order: the job's progress only rises
        }
        furthest = doneBytes;
        if (firstNanos < 0) {
            firstNanos = now;
            firstDone = doneBytes;
        }
        long done = Math.max(0, Math.min(doneBytes, totalBytes));
        int percent = totalBytes <= 0 ? 100 : (int) (done * 100 / totalBytes);
        double seconds = (now - firstNanos) / 1e9;
        Long rate = seconds < 0.001 ? null : (long) ((done - firstDone) / seconds);
        jobs.transferred(jobId, percent, done, Math.max(0, totalBytes), rate);
    }
}
