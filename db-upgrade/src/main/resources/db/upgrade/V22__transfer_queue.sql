-- Per-host transfer workers (issue 14): a job whose transfer waits for one of its host's transfer workers
-- (concurrent.snapshots.threshold.perhost) records how many waiting transfers are ahead of it; NULL once a
-- worker took it, or for a job that never waited.
ALTER TABLE async_job ADD COLUMN transfers_ahead INT UNSIGNED NULL AFTER bytes_per_second;
