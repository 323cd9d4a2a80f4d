-- Volumes made from a snapshot on primary storage are copy-on-write clones of it (issue 14): the
-- snapshot cannot be deleted, nor its volume, while such a volume depends on it. NULL once the volume
-- is flattened (or for any other volume).
ALTER TABLE volumes ADD COLUMN parent_snapshot_id BIGINT UNSIGNED NULL,
  ADD KEY ix_volumes_parent_snapshot (parent_snapshot_id, state),
  ADD CONSTRAINT fk_volumes_parent_snapshot FOREIGN KEY (parent_snapshot_id) REFERENCES snapshots (id);
