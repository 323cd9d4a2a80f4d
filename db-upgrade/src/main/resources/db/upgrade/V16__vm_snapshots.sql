-- VM snapshots (issue 12): disk-only snapshots of all of a VM's volumes at one instant, taken as one
-- storage group snapshot (RBD: group <vm uuid>, snapshot <vm snapshot uuid>). CloudStack's table name.
CREATE TABLE IF NOT EXISTS vm_snapshots (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  -- CloudStack's generated name (<instance name>_VS_<yyyyMMddHHmmss>) and the caller's display name
  name VARCHAR(255) NOT NULL,
  display_name VARCHAR(255) NOT NULL,
  description VARCHAR(255) NULL,
  vm_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  -- the pool holding every volume of the VM, and its storage group and group snapshot
  pool_id BIGINT UNSIGNED NULL,
  storage_group VARCHAR(255) NULL,
  storage_snapshot VARCHAR(255) NULL,
  -- Disk (rbdstack takes no memory snapshots)
  type VARCHAR(32) NOT NULL,
  -- Allocated, Creating, Ready, Reverting, Expunging, Error
  state VARCHAR(32) NOT NULL,
  -- the snapshot the VM's disks were taken at or last reverted to; the next one's parent
  current TINYINT(1) NOT NULL DEFAULT 0,
  parent BIGINT UNSIGNED NULL,
  -- whether the guest's file systems were frozen (qemu-guest-agent) while it was taken
  quiesced TINYINT(1) NOT NULL DEFAULT 0,
  state_reason VARCHAR(1024) NULL,
  update_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  updated DATETIME NULL,
  removed DATETIME NULL,
  live_vm_id BIGINT UNSIGNED GENERATED ALWAYS AS (IF(removed IS NULL, vm_id, NULL)) STORED,
  PRIMARY KEY (id),
  UNIQUE KEY uk_vm_snapshots_uuid (uuid),
  -- a display name is unique among a VM's live snapshots (CloudStack checks it; here the key holds it too)
  UNIQUE KEY uk_vm_snapshots_live_display_name (live_vm_id, display_name),
  KEY ix_vm_snapshots_vm_list (vm_id, removed, id),
  KEY ix_vm_snapshots_list (removed, id),
  KEY ix_vm_snapshots_account_list (account_id, removed, id),
  KEY ix_vm_snapshots_state_list (state, removed, id),
  KEY ix_vm_snapshots_name (display_name, removed),
  CONSTRAINT fk_vm_snapshots_vm FOREIGN KEY (vm_id) REFERENCES vm_instance (id),
  CONSTRAINT fk_vm_snapshots_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT fk_vm_snapshots_domain FOREIGN KEY (domain_id) REFERENCES domain (id),
  CONSTRAINT fk_vm_snapshots_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id),
  CONSTRAINT fk_vm_snapshots_pool FOREIGN KEY (pool_id) REFERENCES storage_pool (id),
  CONSTRAINT fk_vm_snapshots_parent FOREIGN KEY (parent) REFERENCES vm_snapshots (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The volumes a VM snapshot holds, each with its size when taken (a revert puts the size back too).
CREATE TABLE IF NOT EXISTS vm_snapshot_volume (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  vm_snapshot_id BIGINT UNSIGNED NOT NULL,
  volume_id BIGINT UNSIGNED NOT NULL,
  size BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_vm_snapshot_volume (vm_snapshot_id, volume_id),
  KEY ix_vm_snapshot_volume_volume (volume_id),
  CONSTRAINT fk_vm_snapshot_volume_snapshot FOREIGN KEY (vm_snapshot_id) REFERENCES vm_snapshots (id),
  CONSTRAINT fk_vm_snapshot_volume_volume FOREIGN KEY (volume_id) REFERENCES volumes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
