-- The audit trail (CloudStack's event table), alerts, job progress in bytes, why a pool is not Up,
-- and leases that let one management server at a time run a background task.

-- One row per state change a caller asked for, and per start and end of an async job.
-- start_id: the Scheduled event of the job the row belongs to (CloudStack's parentid).
CREATE TABLE IF NOT EXISTS event (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  type VARCHAR(32) NOT NULL,
  -- Created, Scheduled, Started, Completed
  state VARCHAR(32) NOT NULL,
  -- INFO, ERROR
  level VARCHAR(16) NOT NULL,
  description VARCHAR(1024) NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  resource_id VARCHAR(40) NULL,
  resource_type VARCHAR(32) NULL,
  start_id BIGINT UNSIGNED NULL,
  archived TINYINT(1) NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_event_uuid (uuid),
  KEY ix_event_account_created (account_id, created),
  KEY ix_event_created (created),
  KEY ix_event_type_created (type, created),
  KEY ix_event_start (start_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- CloudStack's alert table; type is CloudStack's alert type number, name its ALERT.* name.
-- resource_uuid + resolved: a lasting condition (a host Disconnected, a pool over a threshold)
-- has one open alert until it ends.
CREATE TABLE IF NOT EXISTS alert (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  type SMALLINT UNSIGNED NOT NULL,
  name VARCHAR(255) NOT NULL,
  subject VARCHAR(999) NOT NULL,
  data_center_id BIGINT UNSIGNED NULL,
  pod_id BIGINT UNSIGNED NULL,
  cluster_id BIGINT UNSIGNED NULL,
  resource_uuid VARCHAR(40) NULL,
  sent_count INT UNSIGNED NOT NULL DEFAULT 1,
  created DATETIME NOT NULL,
  last_sent DATETIME NOT NULL,
  resolved DATETIME NULL,
  archived TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY uk_alert_uuid (uuid),
  KEY ix_alert_condition (resource_uuid, type, resolved),
  KEY ix_alert_created (created)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Who runs a background task now: taken or renewed only by a conditional UPDATE, so one owner at a
-- time; last_run keeps the task's period across owners.
CREATE TABLE IF NOT EXISTS cluster_lease (
  name VARCHAR(64) NOT NULL,
  owner_msid BIGINT UNSIGNED NOT NULL,
  expires DATETIME(3) NOT NULL,
  last_run DATETIME(3) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Transfer progress of a job (bytes done and total, rate in bytes/s since the transfer started).
ALTER TABLE async_job ADD COLUMN bytes_done BIGINT UNSIGNED NULL AFTER job_process_status;
ALTER TABLE async_job ADD COLUMN bytes_total BIGINT UNSIGNED NULL AFTER bytes_done;
ALTER TABLE async_job ADD COLUMN bytes_per_second BIGINT UNSIGNED NULL AFTER bytes_total;
-- Finished jobs are purged after job.expire.minutes.
ALTER TABLE async_job ADD KEY ix_async_job_completed (completed);

-- Why a pool is not Up when the capacity refresh found it unusable (key refused, monitors gone, full).
ALTER TABLE storage_pool ADD COLUMN status_reason VARCHAR(1024) NULL AFTER status;
