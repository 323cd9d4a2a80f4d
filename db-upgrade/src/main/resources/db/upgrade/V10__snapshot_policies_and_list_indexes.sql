-- Snapshot policies: their owner (the volume's account: access checks and per-account lists), whether
-- users see them (fordisplay; a hidden policy takes no snapshots, as in CloudStack) and when each takes
-- its next snapshot. next_run is also how management servers share the work: a server takes a due
-- snapshot only if its conditional UPDATE moves next_run on, which exactly one of them can do.
ALTER TABLE snapshot_policy ADD COLUMN account_id BIGINT UNSIGNED NULL AFTER volume_id;
UPDATE snapshot_policy p JOIN volumes v ON v.id = p.volume_id SET p.account_id = v.account_id;
ALTER TABLE snapshot_policy MODIFY account_id BIGINT UNSIGNED NOT NULL;
ALTER TABLE snapshot_policy ADD COLUMN display TINYINT(1) NOT NULL DEFAULT 1 AFTER active;
ALTER TABLE snapshot_policy ADD COLUMN next_run DATETIME NULL AFTER display;
ALTER TABLE snapshot_policy ADD KEY ix_snapshot_policy_next_run (next_run);
ALTER TABLE snapshot_policy ADD KEY ix_snapshot_policy_account (account_id, id);
ALTER TABLE snapshot_policy ADD CONSTRAINT fk_snapshot_policy_account FOREIGN KEY (account_id) REFERENCES account (id);

-- Lists served by indexes: every filter a list command takes and its order (newest first for
-- snapshots, by id for volumes and jobs) has an index, so a page and its count read index entries
-- rather than every row (live rows have removed NULL). The name at the end of the order indexes lets a
-- keyword search walk them in order without reading a row.
ALTER TABLE snapshots ADD KEY ix_snapshots_list (removed, created, id, name);
ALTER TABLE snapshots ADD KEY ix_snapshots_account_list (account_id, removed, created, id, name);
ALTER TABLE snapshots ADD KEY ix_snapshots_volume_list (volume_id, removed, created, id);
ALTER TABLE snapshots ADD KEY ix_snapshots_zone_list (data_center_id, removed, created, id);
ALTER TABLE snapshots ADD KEY ix_snapshots_type_list (snapshot_type, removed, created, id);
ALTER TABLE snapshots ADD KEY ix_snapshots_name (name, removed);

ALTER TABLE volumes ADD KEY ix_volumes_list (removed, id, name);
ALTER TABLE volumes ADD KEY ix_volumes_account_list (account_id, removed, id, name);
ALTER TABLE volumes ADD KEY ix_volumes_zone_list (data_center_id, removed, id);
ALTER TABLE volumes ADD KEY ix_volumes_pool_list (pool_id, removed, id);
ALTER TABLE volumes ADD KEY ix_volumes_name (name, removed);

ALTER TABLE async_job ADD KEY ix_async_job_account_list (account_id, id);
