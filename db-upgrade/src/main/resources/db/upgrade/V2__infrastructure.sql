-- Zones, pods, clusters and KVM hosts.

CREATE TABLE IF NOT EXISTS data_center (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description VARCHAR(255) NULL,
  dns1 VARCHAR(64) NULL,
  dns2 VARCHAR(64) NULL,
  ip6_dns1 VARCHAR(64) NULL,
  ip6_dns2 VARCHAR(64) NULL,
  internal_dns1 VARCHAR(64) NULL,
  internal_dns2 VARCHAR(64) NULL,
  guest_network_cidr VARCHAR(64) NULL,
  domain VARCHAR(255) NULL,
  network_type VARCHAR(16) NOT NULL,
  allocation_state VARCHAR(32) NOT NULL DEFAULT 'Enabled',
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_data_center_uuid (uuid),
  KEY ix_data_center_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS host_pod_ref (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  gateway VARCHAR(64) NOT NULL,
  cidr_address VARCHAR(64) NOT NULL,
  cidr_size INT NOT NULL,
  start_ip VARCHAR(64) NULL,
  end_ip VARCHAR(64) NULL,
  allocation_state VARCHAR(32) NOT NULL DEFAULT 'Enabled',
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_host_pod_ref_uuid (uuid),
  KEY ix_host_pod_ref_zone (data_center_id),
  CONSTRAINT fk_host_pod_ref_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS cluster (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  pod_id BIGINT UNSIGNED NOT NULL,
  hypervisor_type VARCHAR(32) NOT NULL,
  cluster_type VARCHAR(64) NOT NULL DEFAULT 'CloudManaged',
  allocation_state VARCHAR(32) NOT NULL DEFAULT 'Enabled',
  managed_state VARCHAR(32) NOT NULL DEFAULT 'Managed',
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_cluster_uuid (uuid),
  KEY ix_cluster_pod (pod_id),
  CONSTRAINT fk_cluster_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id),
  CONSTRAINT fk_cluster_pod FOREIGN KEY (pod_id) REFERENCES host_pod_ref (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS host (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  type VARCHAR(32) NOT NULL DEFAULT 'Routing',
  -- connection state: Creating, Connecting, Up, Alert, Disconnected, Removed
  status VARCHAR(32) NOT NULL,
  resource_state VARCHAR(32) NOT NULL DEFAULT 'Enabled',
  data_center_id BIGINT UNSIGNED NOT NULL,
  pod_id BIGINT UNSIGNED NOT NULL,
  cluster_id BIGINT UNSIGNED NOT NULL,
  hypervisor_type VARCHAR(32) NOT NULL,
  hypervisor_version VARCHAR(64) NULL,
  url VARCHAR(255) NULL,
  cpus INT NULL,
  speed BIGINT NULL,
  total_memory BIGINT NULL,
  libvirt_version VARCHAR(64) NULL,
  qemu_version VARCHAR(64) NULL,
  rbd_storage_backend TINYINT(1) NULL,
  agent_version VARCHAR(64) NULL,
  -- SHA-256 of the credential issued to the host's agent; the credential itself is never stored
  agent_token_hash CHAR(64) NOT NULL,
  -- the management server process the agent is connected to
  mgmt_server_msid BIGINT UNSIGNED NULL,
  last_ping DATETIME NULL,
  status_reason VARCHAR(1024) NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_host_uuid (uuid),
  UNIQUE KEY uk_host_agent_token_hash (agent_token_hash),
  KEY ix_host_cluster (cluster_id, status),
  CONSTRAINT fk_host_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id),
  CONSTRAINT fk_host_pod FOREIGN KEY (pod_id) REFERENCES host_pod_ref (id),
  CONSTRAINT fk_host_cluster FOREIGN KEY (cluster_id) REFERENCES cluster (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
