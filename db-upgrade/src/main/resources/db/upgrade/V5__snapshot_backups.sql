-- Snapshot backups on image stores: the SHA-256 each backup file was written with, checked at restore.

ALTER TABLE snapshot_store_ref ADD COLUMN checksum VARCHAR(64) NULL AFTER physical_size;
