-- Backup attempts with names of their own (issue 14 review): each attempt at a snapshot's backup writes
-- snapshots/<account>/<volume>/<uuid>.<attempt>.rbddiff and the server records the one whose answer it accepted.
-- backup_attempted: when (the management server's clock) a backup attempt of the snapshot last began or ended;
-- the storage cleanup deletes the files of the snapshot's unaccepted attempts once that is long enough ago and
-- the snapshot is backed up or deleted, then clears it.
ALTER TABLE snapshots
  ADD COLUMN backup_attempted DATETIME NULL AFTER removed,
  ADD KEY ix_snapshots_backup_attempted (backup_attempted);

-- Snapshots backed up (or tried) before: their leftovers (partial files of killed agents) are looked for once.
UPDATE snapshots s SET s.backup_attempted = s.created
  WHERE s.status IN ('CreatedOnPrimary', 'BackingUp', 'BackedUp')
     OR EXISTS (SELECT 1 FROM snapshot_store_ref r WHERE r.snapshot_id = s.id AND r.store_role = 'Image');
