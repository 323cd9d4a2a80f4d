-- Guest networks: a network offering for shared networks on a Linux bridge (optionally on a VLAN), the
-- addressing of each network, and NICs with a MAC unique per zone and an IPv4 address from their network's
-- range. IPv6 columns (V4) stay NULL until networks are dual-stack.

-- Network offerings (CloudStack's table): rbdstack seeds the one kind of network it runs.
CREATE TABLE IF NOT EXISTS network_offering (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uuid VARCHAR(40) NOT NULL,
  -- CloudStack's fixed name for its seeded offerings (DefaultSharedNetworkOffering)
  unique_name VARCHAR(64) NOT NULL,
  name VARCHAR(64) NOT NULL,
  display_text VARCHAR(255) NOT NULL,
  -- Shared (the only kind so far), Isolated, L2
  guest_type VARCHAR(32) NOT NULL,
  traffic_type VARCHAR(32) NOT NULL,
  specify_vlan TINYINT(1) NOT NULL,
  specify_ip_ranges TINYINT(1) NOT NULL,
  -- IPv4, IPv6 or DualStack
  internet_protocol VARCHAR(16) NOT NULL DEFAULT 'IPv4',
  -- Enabled, Disabled
  state VARCHAR(32) NOT NULL,
  is_default TINYINT(1) NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  removed DATETIME NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_network_offering_uuid (uuid),
  UNIQUE KEY uk_network_offering_unique_name (unique_name),
  KEY ix_network_offering_list (removed, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Seeded once (a half-applied step run again finds it there).
INSERT INTO network_offering (uuid, unique_name, name, display_text, guest_type, traffic_type, specify_vlan,
  specify_ip_ranges, internet_protocol, state, is_default, created)
SELECT UUID(), 'DefaultSharedNetworkOffering', 'DefaultSharedNetworkOffering',
  'Offering for Shared networks', 'Shared', 'Guest', 1, 1, 'IPv4', 'Enabled', 1, UTC_TIMESTAMP()
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM network_offering WHERE unique_name = 'DefaultSharedNetworkOffering');

-- A network's offering and addressing. bridge is the Linux bridge its NICs join (IFNAMSIZ: 15 characters);
-- with a VLAN, uplink is the host interface the VLAN is tagged on (NULL: the bridge is used untagged).
ALTER TABLE networks ADD COLUMN network_offering_id BIGINT UNSIGNED NULL AFTER domain_id,
  ADD COLUMN vlan_id INT UNSIGNED NULL AFTER broadcast_uri,
  ADD COLUMN bridge VARCHAR(15) NULL AFTER vlan_id,
  ADD COLUMN uplink VARCHAR(15) NULL AFTER bridge,
  ADD COLUMN netmask VARCHAR(15) NULL AFTER gateway,
  ADD COLUMN ip4_start VARCHAR(15) NULL AFTER netmask,
  ADD COLUMN ip4_end VARCHAR(15) NULL AFTER ip4_start,
  ADD COLUMN dns1 VARCHAR(15) NULL AFTER ip4_end,
  ADD COLUMN dns2 VARCHAR(15) NULL AFTER dns1,
  ADD COLUMN acl_type VARCHAR(16) NULL AFTER guest_type,
  ADD COLUMN network_domain VARCHAR(255) NULL AFTER dns2;
ALTER TABLE networks ADD CONSTRAINT fk_networks_offering FOREIGN KEY (network_offering_id)
  REFERENCES network_offering (id);
-- A VLAN carries one live network per zone, and a bridge joins one live network per zone.
ALTER TABLE networks ADD COLUMN live_vlan_id INT UNSIGNED GENERATED ALWAYS AS (IF(removed IS NULL, vlan_id, NULL)) STORED;
ALTER TABLE networks ADD UNIQUE KEY uk_networks_zone_live_vlan (data_center_id, live_vlan_id);
ALTER TABLE networks ADD COLUMN live_bridge VARCHAR(15) GENERATED ALWAYS AS (IF(removed IS NULL, bridge, NULL)) STORED;
ALTER TABLE networks ADD UNIQUE KEY uk_networks_zone_live_bridge (data_center_id, live_bridge);
ALTER TABLE networks ADD KEY ix_networks_list (removed, id);
ALTER TABLE networks ADD KEY ix_networks_zone_list (data_center_id, removed, id);

-- NICs carry their zone (MACs are unique per zone) and what the guest is told: gateway, netmask, broadcast URI.
ALTER TABLE nics ADD COLUMN data_center_id BIGINT UNSIGNED NULL AFTER network_id,
  ADD COLUMN gateway VARCHAR(15) NULL AFTER ip4_address,
  ADD COLUMN netmask VARCHAR(15) NULL AFTER gateway,
  ADD COLUMN broadcast_uri VARCHAR(255) NULL AFTER netmask;
UPDATE nics n JOIN networks w ON w.id = n.network_id SET n.data_center_id = w.data_center_id
  WHERE n.data_center_id IS NULL;
ALTER TABLE nics ADD CONSTRAINT fk_nics_zone FOREIGN KEY (data_center_id) REFERENCES data_center (id);
-- An address is taken by one live NIC of a network; a removed NIC's address may be given again.
ALTER TABLE nics ADD COLUMN live_ip4_address VARCHAR(15)
  GENERATED ALWAYS AS (IF(removed IS NULL, ip4_address, NULL)) STORED;
ALTER TABLE nics ADD UNIQUE KEY uk_nics_network_live_ip4 (network_id, live_ip4_address);
-- A MAC is never given twice in a zone, removed NICs included: the zone's sequence only grows.
ALTER TABLE nics ADD UNIQUE KEY uk_nics_zone_mac (data_center_id, mac_address);
ALTER TABLE nics ADD KEY ix_nics_instance (instance_id, removed, device_id);

-- The zone's MAC sequence (CloudStack's column name): the next NIC's MAC takes its value.
ALTER TABLE data_center ADD COLUMN mac_address BIGINT UNSIGNED NOT NULL DEFAULT 1;
