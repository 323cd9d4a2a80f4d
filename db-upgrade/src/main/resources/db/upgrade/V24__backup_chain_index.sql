-- A backup job reads its volume's backups in one query (which one to build on, how long its chain is) rather than
-- one query per link; a damaged backup of the volume is looked up the same way. Both by volume, role and state.
ALTER TABLE snapshot_store_ref
  ADD KEY ix_snapshot_store_ref_volume (volume_id, store_role, state);
