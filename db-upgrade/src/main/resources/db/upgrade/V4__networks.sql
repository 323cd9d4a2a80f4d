-- Guest networks (IPv4 and IPv6), virtual machines, NICs and the zone's IPv6 guest prefixes.

CREATE TABLE IF NOT EXISTS networks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  display_text VARCHAR(255) NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  traffic_type VARCHAR(32) NOT NULL DEFAULT 'Guest',
  guest_type VARCHAR(32) NOT NULL DEFAULT 'Isolated',
  -- IPv4, IPv6 or DualStack
  internet_protocol VARCHAR(16) NOT NULL DEFAULT 'IPv4',
  cidr VARCHAR(64) NULL,
  gateway VARCHAR(64) NULL,
  ip6_cidr VARCHAR(64) NULL,
  ip6_gateway VARCHAR(64) NULL,
  broadcast_uri VARCHAR(255) NULL,
  state VARCHAR(32) NOT NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_networks_uuid (uuid),
  KEY ix_networks_zone (data_center_id),
  CONSTRAINT fk_networks_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id),
  CONSTRAINT fk_networks_account FOREIGN KEY (account_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vm_instance (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  name VARCHAR(255) NOT NULL,
  instance_name VARCHAR(255) NOT NULL,
  display_name VARCHAR(255) NULL,
  state VARCHAR(32) NOT NULL,
  account_id BIGINT UNSIGNED NOT NULL,
  domain_id BIGINT UNSIGNED NOT NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  pod_id BIGINT UNSIGNED NULL,
  host_id BIGINT UNSIGNED NULL,
  last_host_id BIGINT UNSIGNED NULL,
  hypervisor_type VARCHAR(32) NOT NULL DEFAULT 'KVM',
  cpus INT NOT NULL,
  cpu_speed INT NOT NULL,
  memory_mb INT NOT NULL,
  created DATETIME NOT NULL,
  updated DATETIME NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_vm_instance_uuid (uuid),
  UNIQUE KEY uk_vm_instance_instance_name (instance_name),
  KEY ix_vm_instance_host (host_id, state),
  CONSTRAINT fk_vm_instance_account FOREIGN KEY (account_id) REFERENCES account (id),
  CONSTRAINT fk_vm_instance_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id),
  CONSTRAINT fk_vm_instance_host FOREIGN KEY (host_id) REFERENCES host (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS nics (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  instance_id BIGINT UNSIGNED NOT NULL,
  network_id BIGINT UNSIGNED NOT NULL,
  mac_address VARCHAR(17) NOT NULL,
  ip4_address VARCHAR(15) NULL,
  ip6_address VARCHAR(64) NULL,
  ip6_cidr VARCHAR(64) NULL,
  ip6_gateway VARCHAR(64) NULL,
  device_id INT NOT NULL,
  is_default TINYINT(1) NOT NULL DEFAULT 0,
  state VARCHAR(32) NOT NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_nics_uuid (uuid),
  -- a MAC identifies one NIC on a network: Kea reserves addresses by it
  UNIQUE KEY uk_nics_network_mac (network_id, mac_address),
  CONSTRAINT fk_nics_instance FOREIGN KEY (instance_id) REFERENCES vm_instance (id),
  CONSTRAINT fk_nics_network FOREIGN KEY (network_id) REFERENCES networks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS dc_ip6_guest_prefix (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  data_center_id BIGINT UNSIGNED NOT NULL,
  prefix VARCHAR(64) NOT NULL,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_dc_ip6_guest_prefix_uuid (uuid),
  CONSTRAINT fk_dc_ip6_guest_prefix_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The /64 subnets carved out of a guest prefix, and the network each is given to.
CREATE TABLE IF NOT EXISTS ip6_guest_prefix_subnet_network_map (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  prefix_id BIGINT UNSIGNED NOT NULL,
  subnet VARCHAR(64) NOT NULL,
  network_id BIGINT UNSIGNED NULL,
  state VARCHAR(32) NOT NULL,
  created DATETIME NOT NULL,
  updated DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_ip6_subnet_map_uuid (uuid),
  UNIQUE KEY uk_ip6_subnet_map_subnet (subnet),
  CONSTRAINT fk_ip6_subnet_map_prefix FOREIGN KEY (prefix_id) REFERENCES dc_ip6_guest_prefix (id),
  CONSTRAINT fk_ip6_subnet_map_network FOREIGN KEY (network_id) REFERENCES networks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
