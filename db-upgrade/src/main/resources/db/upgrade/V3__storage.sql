-- Primary storage pools, secondary (image) stores, disk offerings, volumes and snapshots.

CREATE TABLE IF NOT EXISTS storage_pool (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  pool_type VARCHAR(32) NOT NULL,
  -- CLUSTER or ZONE
  scope VARCHAR(16) NOT NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  pod_id BIGINT UNSIGNED NULL,
  cluster_id BIGINT UNSIGNED NULL,
  hypervisor VARCHAR(32) NULL,
  storage_provider_name VARCHAR(255) NOT NULL,
  -- monitors as given by the admin, e.g. 10.0.0.1,10.0.0.2:6789
  host_address VARCHAR(1024) NOT NULL,
  port INT NULL,
  -- the Ceph pool
  path VARCHAR(255) NOT NULL,
  -- the cephx user; its key lives encrypted in storage_pool_details
  user_info VARCHAR(255) NULL,
  status VARCHAR(32) NOT NULL,
  capacity_bytes BIGINT UNSIGNED NULL,
  used_bytes BIGINT UNSIGNED NULL,
  capacity_iops BIGINT UNSIGNED NULL,
  capacity_updated DATETIME NULL,
  created DATETIME NOT NULL,
  updated DATETIME NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_storage_pool_uuid (uuid),
  KEY ix_storage_pool_zone (data_center_id, status),
  CONSTRAINT fk_storage_pool_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id),
  CONSTRAINT fk_storage_pool_pod FOREIGN KEY (pod_id) REFERENCES host_pod_ref (id),
  CONSTRAINT fk_storage_pool_cluster FOREIGN KEY (cluster_id) REFERENCES cluster (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS storage_pool_details (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  pool_id BIGINT UNSIGNED NOT NULL,
  name VARCHAR(255) NOT NULL,
  value VARCHAR(4096) NOT NULL,
  -- 1 when value is AES-GCM ciphertext of a secret
  encrypted TINYINT(1) NOT NULL DEFAULT 0,
  display TINYINT(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (id),
  UNIQUE KEY uk_storage_pool_details (pool_id, name),
  CONSTRAINT fk_storage_pool_details_pool FOREIGN KEY (pool_id) REFERENCES storage_pool (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS storage_pool_tags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  pool_id BIGINT UNSIGNED NOT NULL,
  tag VARCHAR(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_storage_pool_tags (pool_id, tag),
  CONSTRAINT fk_storage_pool_tags_pool FOREIGN KEY (pool_id) REFERENCES storage_pool (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Which hosts have the pool (libvirt secret + pool) defined.
CREATE TABLE IF NOT EXISTS storage_pool_host_ref (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  pool_id BIGINT UNSIGNED NOT NULL,
  host_id BIGINT UNSIGNED NOT NULL,
  local_path VARCHAR(255) NULL,
  created DATETIME NOT NULL,
  last_updated DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_storage_pool_host_ref (pool_id, host_id),
  CONSTRAINT fk_storage_pool_host_ref_pool FOREIGN KEY (pool_id) REFERENCES storage_pool (id) ON DELETE CASCADE,
  CONSTRAINT fk_storage_pool_host_ref_host FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS image_store (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  protocol VARCHAR(32) NOT NULL,
  url VARCHAR(1024) NOT NULL,
  data_center_id BIGINT UNSIGNED NULL,
  image_provider_name VARCHAR(255) NOT NULL,
  role VARCHAR(32) NOT NULL DEFAULT 'Image',
  total_size BIGINT UNSIGNED NULL,
  used_bytes BIGINT UNSIGNED NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_image_store_uuid (uuid),
  CONSTRAINT fk_image_store_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS disk_offering (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  display_text VARCHAR(4096) NULL,
  disk_size BIGINT UNSIGNED NULL,
  customized TINYINT(1) NOT NULL DEFAULT 0,
  tags VARCHAR(4096) NULL,
  provisioning_type VARCHAR(32) NOT NULL DEFAULT 'thin',
  state VARCHAR(32) NOT NULL DEFAULT 'Active',
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_disk_offering_uuid (uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS volumes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  pool_id BIGINT UNSIGNED NULL,
  disk_offering_id BIGINT UNSIGNED NULL,
  instance_id BIGINT UNSIGNED NULL,
  device_id BIGINT UNSIGNED NULL,
  -- ROOT or DATADISK
  volume_type VARCHAR(16) NOT NULL,
  size BIGINT UNSIGNED NOT NULL,
  -- the RBD image name in the pool
  path VARCHAR(255) NULL,
  format VARCHAR(16) NOT NULL DEFAULT 'RAW',
  state VARCHAR(32) NOT NULL,
  created DATETIME NOT NULL,
  updated DATETIME NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_volumes_uuid (uuid),
  KEY ix_volumes_pool_state (pool_id, state),
  KEY ix_volumes_account (account_id),
  CONSTRAINT fk_volumes_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT fk_volumes_domain FOREIGN KEY (domain_id) REFERENCES domain (id),
  CONSTRAINT fk_volumes_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id),
  CONSTRAINT fk_volumes_pool FOREIGN KEY (pool_id) REFERENCES storage_pool (id),
  CONSTRAINT fk_volumes_disk_offering FOREIGN KEY (disk_offering_id) REFERENCES disk_offering (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS snapshots (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  volume_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  -- MANUAL, HOURLY, DAILY, WEEKLY, MONTHLY
  snapshot_type VARCHAR(16) NOT NULL,
  size BIGINT UNSIGNED NOT NULL,
  -- Allocated, Creating, CreatedOnPrimary, BackingUp, BackedUp, Copying, Error, Destroying, Destroyed
  status VARCHAR(32) NOT NULL,
  hypervisor_type VARCHAR(32) NOT NULL,
  location_type VARCHAR(16) NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_snapshots_uuid (uuid),
  KEY ix_snapshots_volume (volume_id, status),
  CONSTRAINT fk_snapshots_volume FOREIGN KEY (volume_id) REFERENCES volumes (id),
  CONSTRAINT fk_snapshots_account FOREIGN KEY (account_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Where each snapshot lives: on primary storage (an RBD snapshot) and/or on an image store (a backup).
CREATE TABLE IF NOT EXISTS snapshot_store_ref (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  snapshot_id BIGINT UNSIGNED NOT NULL,
  store_id BIGINT UNSIGNED NOT NULL,
  -- Primary or Image
  store_role VARCHAR(16) NOT NULL,
  volume_id BIGINT UNSIGNED NOT NULL,
  install_path VARCHAR(1024) NULL,
  -- the backup this one is incremental to; NULL for a full backup
  parent_snapshot_id BIGINT UNSIGNED NULL,
  size BIGINT UNSIGNED NULL,
  physical_size BIGINT UNSIGNED NULL,
  state VARCHAR(32) NOT NULL,
  created DATETIME NOT NULL,
  last_updated DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_snapshot_store_ref (snapshot_id, store_role, store_id),
  CONSTRAINT fk_snapshot_store_ref_snapshot FOREIGN KEY (snapshot_id) REFERENCES snapshots (id),
  CONSTRAINT fk_snapshot_store_ref_parent FOREIGN KEY (parent_snapshot_id) REFERENCES snapshots (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS snapshot_policy (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  volume_id BIGINT UNSIGNED NOT NULL,
  schedule VARCHAR(100) NOT NULL,
  timezone VARCHAR(100) NOT NULL,
  -- HOURLY, DAILY, WEEKLY, MONTHLY
  interval_type VARCHAR(16) NOT NULL,
  max_snaps INT NOT NULL,
  active TINYINT(1) NOT NULL DEFAULT 1,
  created DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_snapshot_policy_uuid (uuid),
  UNIQUE KEY uk_snapshot_policy_volume_interval (volume_id, interval_type),
  CONSTRAINT fk_snapshot_policy_volume FOREIGN KEY (volume_id) REFERENCES volumes (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
