-- Verified backups (issue 14): when each backup file was last re-read and checked, and what was found.
-- A damaged backup's row goes to state 'Error'; verify_result says why (OK, MISSING, TRUNCATED, MALFORMED,
-- WRONG_PARENT, CHECKSUM_MISMATCH, or PARENT_DAMAGED for a backup incremental to a damaged one).

ALTER TABLE snapshot_store_ref
  ADD COLUMN verified DATETIME NULL AFTER checksum,
  ADD COLUMN verify_result VARCHAR(32) NULL AFTER verified,
  ADD COLUMN verify_details VARCHAR(1024) NULL AFTER verify_result;
