-- Templates (CloudStack's vm_template): disk images registered from a URL, imported once into every
-- RBD pool of their zone as a base image with a protected snapshot that root volumes are cloned from.

CREATE TABLE IF NOT EXISTS vm_template (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  display_text VARCHAR(4096) NULL,
  -- http(s) URL, or an absolute path on the agent's host
  url VARCHAR(2048) NOT NULL,
  -- RAW or QCOW2 (what was registered; the pools hold raw images)
  format VARCHAR(32) NOT NULL,
  hypervisor_type VARCHAR(32) NOT NULL DEFAULT 'KVM',
  -- ostypeid as given: stored, not checked (rbdstack has no guest OS table)
  guest_os_uuid VARCHAR(40) NULL,
  -- CloudStack's form: {ALGORITHM}hex
  checksum VARCHAR(255) NULL,
  public TINYINT(1) NOT NULL DEFAULT 0,
  featured TINYINT(1) NOT NULL DEFAULT 0,
  extractable TINYINT(1) NOT NULL DEFAULT 0,
  account_id BIGINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  -- NULL: every zone (zoneid=-1)
  data_center_id BIGINT UNSIGNED NULL,
  -- virtual size in bytes once imported
  size BIGINT UNSIGNED NULL,
  -- Allocated, Downloading, Ready, Error
  state VARCHAR(32) NOT NULL,
  -- what listTemplates shows as status: progress, or the error text
  status VARCHAR(1024) NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_vm_template_uuid (uuid),
  KEY ix_vm_template_account (account_id, removed),
  KEY ix_vm_template_public (public, removed),
  KEY ix_vm_template_featured (featured, removed),
  CONSTRAINT fk_vm_template_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT fk_vm_template_domain FOREIGN KEY (domain_id) REFERENCES domain (id),
  CONSTRAINT fk_vm_template_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per pool holding (or importing) a template's base image (CloudStack's template_spool_ref).
CREATE TABLE IF NOT EXISTS template_spool_ref (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  template_id BIGINT UNSIGNED NOT NULL,
  pool_id BIGINT UNSIGNED NOT NULL,
  -- the base image in the pool (RBD: tmpl-<uuid>) and the snapshot clones are made from
  install_path VARCHAR(255) NULL,
  snapshot VARCHAR(255) NULL,
  -- Downloading, Ready, Error
  state VARCHAR(32) NOT NULL,
  size BIGINT UNSIGNED NULL,
  error VARCHAR(1024) NULL,
  created DATETIME NOT NULL,
  updated DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_template_spool_ref (template_id, pool_id),
  KEY ix_template_spool_ref_pool (pool_id),
  CONSTRAINT fk_template_spool_ref_template FOREIGN KEY (template_id) REFERENCES vm_template (id),
  CONSTRAINT fk_template_spool_ref_pool FOREIGN KEY (pool_id) REFERENCES storage_pool (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Root volumes are clones of a template's base image: deleteTemplate looks here.
ALTER TABLE volumes ADD COLUMN template_id BIGINT UNSIGNED NULL,
  ADD KEY ix_volumes_template (template_id, removed),
  ADD CONSTRAINT fk_volumes_template FOREIGN KEY (template_id) REFERENCES vm_template (id);
