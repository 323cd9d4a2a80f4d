-- Administration: deletable domains and accounts whose names can be used again, network domains, host
-- tags, disk offering QoS, resource limits and resource tags.

-- A deleted domain or account keeps its row (its volumes, snapshots and jobs still name it) but frees its
-- path or name: the unique keys hold only over live rows, through a column that is NULL once removed.
ALTER TABLE domain ADD COLUMN live_path VARCHAR(255) GENERATED ALWAYS AS (IF(removed IS NULL, path, NULL)) STORED;
ALTER TABLE domain ADD UNIQUE KEY uk_domain_live_path (live_path);
ALTER TABLE domain DROP INDEX uk_domain_path;
ALTER TABLE domain ADD KEY ix_domain_path (path);
ALTER TABLE domain ADD COLUMN network_domain VARCHAR(255) NULL AFTER state;

ALTER TABLE account ADD COLUMN live_name VARCHAR(255) GENERATED ALWAYS AS (IF(removed IS NULL, account_name, NULL)) STORED;
-- Added before the old key is dropped: the domain foreign key needs an index starting with domain_id.
ALTER TABLE account ADD UNIQUE KEY uk_account_domain_live_name (domain_id, live_name);
ALTER TABLE account DROP INDEX uk_account_domain_name;
ALTER TABLE account ADD COLUMN network_domain VARCHAR(255) NULL AFTER state;

-- Host tags, as CloudStack keeps them: one row a tag.
CREATE TABLE IF NOT EXISTS host_tags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  host_id BIGINT UNSIGNED NOT NULL,
  tag VARCHAR(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_host_tags (host_id, tag),
  CONSTRAINT fk_host_tags_host FOREIGN KEY (host_id) REFERENCES host (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Quality of service a disk offering promises its volumes; stored and shown, applied by the hypervisor
-- once volumes are attached to VMs.
ALTER TABLE disk_offering ADD COLUMN customized_iops TINYINT(1) NOT NULL DEFAULT 0 AFTER customized;
ALTER TABLE disk_offering ADD COLUMN min_iops BIGINT UNSIGNED NULL AFTER customized_iops;
ALTER TABLE disk_offering ADD COLUMN max_iops BIGINT UNSIGNED NULL AFTER min_iops;
ALTER TABLE disk_offering ADD COLUMN bytes_read_rate BIGINT UNSIGNED NULL AFTER max_iops;
ALTER TABLE disk_offering ADD COLUMN bytes_write_rate BIGINT UNSIGNED NULL AFTER bytes_read_rate;
ALTER TABLE disk_offering ADD COLUMN iops_read_rate BIGINT UNSIGNED NULL AFTER bytes_write_rate;
ALTER TABLE disk_offering ADD COLUMN iops_write_rate BIGINT UNSIGNED NULL AFTER iops_read_rate;

-- Limits set for an account or a domain (exactly one of the two); without a row the global default applies.
-- type is CloudStack's resource type name (volume, snapshot, primary_storage, secondary_storage); -1 = unlimited.
CREATE TABLE IF NOT EXISTS resource_limit (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  type VARCHAR(32) NOT NULL,
  account_id BIGINT UNSIGNED NULL,
  domain_id BIGINT UNSIGNED NULL,
  max BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_resource_limit_account (account_id, type),
  UNIQUE KEY uk_resource_limit_domain (domain_id, type),
  CONSTRAINT fk_resource_limit_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT fk_resource_limit_domain FOREIGN KEY (domain_id) REFERENCES domain (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Key/value tags on volumes, snapshots and storage pools (CloudStack's resource_tags).
CREATE TABLE IF NOT EXISTS resource_tags (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  tag_key VARCHAR(255) NOT NULL,
  value VARCHAR(255) NOT NULL,
  resource_id BIGINT UNSIGNED NOT NULL,
  resource_uuid VARCHAR(40) NOT NULL,
  -- Volume, Snapshot or StoragePool
  resource_type VARCHAR(32) NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  customer VARCHAR(255) NULL,
  created DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_resource_tags_uuid (uuid),
  UNIQUE KEY uk_resource_tags_resource_key (resource_type, resource_id, tag_key),
  KEY ix_resource_tags_key_value (resource_type, tag_key, value),
  KEY ix_resource_tags_account (account_id),
  CONSTRAINT fk_resource_tags_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT fk_resource_tags_domain FOREIGN KEY (domain_id) REFERENCES domain (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
