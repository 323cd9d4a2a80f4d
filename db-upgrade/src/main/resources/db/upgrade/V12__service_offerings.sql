-- Service (compute) offerings: the CPU, memory and root disk a VM is deployed with. NULL cpu, speed or
-- ram_size make an offering whose size the user picks at deploy time (CloudStack's custom offerings),
-- within min/max when the admin set them.

CREATE TABLE IF NOT EXISTS service_offering (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  display_text VARCHAR(4096) NULL,
  cpu INT UNSIGNED NULL,
  speed INT UNSIGNED NULL,
  ram_size INT UNSIGNED NULL,
  min_cpu INT UNSIGNED NULL,
  max_cpu INT UNSIGNED NULL,
  min_memory INT UNSIGNED NULL,
  max_memory INT UNSIGNED NULL,
  -- bytes; NULL = the template's size
  root_disk_size BIGINT UNSIGNED NULL,
  -- storage tags the root volume's pool must carry, comma-separated
  tags VARCHAR(4096) NULL,
  host_tag VARCHAR(4096) NULL,
  offer_ha TINYINT(1) NOT NULL DEFAULT 0,
  limit_cpu_use TINYINT(1) NOT NULL DEFAULT 0,
  is_volatile TINYINT(1) NOT NULL DEFAULT 0,
  provisioning_type VARCHAR(32) NOT NULL DEFAULT 'thin',
  bytes_read_rate BIGINT UNSIGNED NULL,
  bytes_write_rate BIGINT UNSIGNED NULL,
  iops_read_rate BIGINT UNSIGNED NULL,
  iops_write_rate BIGINT UNSIGNED NULL,
  state VARCHAR(32) NOT NULL DEFAULT 'Active',
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_service_offering_uuid (uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
