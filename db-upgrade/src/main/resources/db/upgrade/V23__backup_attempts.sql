-- Backup attempts with names of their own (issue 14 review): each attempt at a snapshot's backup writes
-- snapshots/<account>/<volume>/<uuid>.<attempt>.rbddiff and the server records the one whose answer it accepted.
-- backup_attempted: when (the management server's clock) a backup attempt of the snapshot last began or ended;
-- the storage cleanup deletes the files of the snapshot's unaccepted attempts once that is long enough ago and
-- the snapshot is backed up or deleted, then clears it.
ALTER TABLE snapshots
  ADD COLUMN backup_attempted DATETIME NULL AFTER removed,
  ADD KEY ix_snapshots_backup_attempted (backup_attempted);

-- Every snapshot past Creating (deleted ones too, with or without a recorded backup): any may have had a backup
-- attempt whose partial file an old agent left, so its leftovers are looked for once.
UPDATE snapshots s SET s.backup_attempted = s.created
  WHERE s.status NOT IN ('Allocated', 'Creating');
