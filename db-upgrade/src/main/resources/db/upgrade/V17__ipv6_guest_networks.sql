-- IPv6 guest networks (issue 13): the zone's guest prefixes (V4's dc_ip6_guest_prefix), the /64 of each
-- dual-stack network carved from one (V4's ip6_guest_prefix_subnet_network_map), each NIC's EUI-64 address,
-- per-network prefix-delegation pools, and the DHCPv6 global settings the server sends to Kea on the hosts.

-- Live prefixes of a zone are listed and checked for overlap together.
ALTER TABLE dc_ip6_guest_prefix ADD KEY ix_dc_ip6_guest_prefix_zone (data_center_id, removed, id);

-- A /64 serves one live network at a time, whether allocated from a prefix or given with createNetwork.
ALTER TABLE networks ADD COLUMN live_ip6_cidr VARCHAR(64)
  GENERATED ALWAYS AS (IF(removed IS NULL, ip6_cidr, NULL)) STORED;
ALTER TABLE networks ADD UNIQUE KEY uk_networks_live_ip6_cidr (live_ip6_cidr);

-- The offering of dual-stack shared networks: createNetwork with it and no ip6cidr gets a /64 of the zone's
-- guest prefixes (CloudStack's internetprotocol DualStack). Seeded once.
INSERT INTO network_offering (uuid, unique_name, name, display_text, guest_type, traffic_type, specify_vlan,
  specify_ip_ranges, internet_protocol, state, is_default, created)
SELECT UUID(), 'DefaultSharedDualStackNetworkOffering', 'DefaultSharedDualStackNetworkOffering',
  'Offering for dual-stack Shared networks', 'Shared', 'Guest', 1, 1, 'DualStack', 'Enabled', 0, UTC_TIMESTAMP()
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM network_offering WHERE unique_name = 'DefaultSharedDualStackNetworkOffering');

-- A subnet row is Allocated to a network or Free again after deleteNetwork; a prefix's rows are read together.
ALTER TABLE ip6_guest_prefix_subnet_network_map ADD KEY ix_ip6_subnet_map_prefix (prefix_id, state);

-- A NIC's EUI-64 address (from its MAC, unique per zone) is held by one live NIC of its network.
ALTER TABLE nics ADD COLUMN live_ip6_address VARCHAR(64)
  GENERATED ALWAYS AS (IF(removed IS NULL, ip6_address, NULL)) STORED;
ALTER TABLE nics ADD UNIQUE KEY uk_nics_network_live_ip6 (network_id, live_ip6_address);

-- Prefix delegation: prefixes of delegated_length bits cut from prefix, handed to the network's guests
-- that ask (DHCPv6 IA_PD). One pool per network.
CREATE TABLE IF NOT EXISTS network_ip6_pd_pool (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  network_id BIGINT UNSIGNED NOT NULL,
  prefix VARCHAR(64) NOT NULL,
  delegated_length INT UNSIGNED NOT NULL,
  created DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_network_ip6_pd_pool_network (network_id),
  CONSTRAINT fk_network_ip6_pd_pool_network FOREIGN KEY (network_id) REFERENCES networks (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The hosts a dual-stack network's DHCPv6 (Kea) was applied on: those still listed when the network no
-- longer runs a VM there are sent dhcp.removeNetwork (now, or when their agent reconnects).
CREATE TABLE IF NOT EXISTS network_dhcp_host (
  network_id BIGINT UNSIGNED NOT NULL,
  host_id BIGINT UNSIGNED NOT NULL,
  applied DATETIME NOT NULL,
  PRIMARY KEY (network_id, host_id),
  KEY ix_network_dhcp_host_host (host_id),
  CONSTRAINT fk_network_dhcp_host_network FOREIGN KEY (network_id) REFERENCES networks (id),
  CONSTRAINT fk_network_dhcp_host_host FOREIGN KEY (host_id) REFERENCES host (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- DHCPv6 settings with their defaults; a row already there (an admin's value) is kept as it is.
INSERT INTO configuration (name, category, value, default_value, type, scope, description)
SELECT d.name, 'Network', d.value, d.value, d.type, 'Global', d.description
FROM (
  SELECT 'dhcpv6.renew.timer' AS name, '1000' AS value, 'INTEGER' AS type,
    'Seconds after which a DHCPv6 client renews its address with the server that gave it (T1).' AS description
  UNION ALL SELECT 'dhcpv6.rebind.timer', '2000', 'INTEGER',
    'Seconds after which a DHCPv6 client that could not renew asks any server (T2).'
  UNION ALL SELECT 'dhcpv6.preferred.lifetime', '3000', 'INTEGER',
    'Seconds a DHCPv6 address or delegated prefix stays preferred.'
  UNION ALL SELECT 'dhcpv6.valid.lifetime', '4000', 'INTEGER',
    'Seconds a DHCPv6 address or delegated prefix stays valid.'
  UNION ALL SELECT 'dhcpv6.mac.sources', 'duid', 'STRING',
    'Where Kea learns a client''s MAC (its mac-sources, comma-separated).'
  UNION ALL SELECT 'dhcpv6.pd.delegated.length', '64', 'INTEGER',
    'Length of the prefixes delegated from a network''s prefix-delegation pool when createNetwork gives none.'
  UNION ALL SELECT 'dhcpv6.kea.control.socket', '/var/lib/rbdstack/dhcp/kea6-ctrl.sock', 'STRING',
    'Path of Kea''s control socket on the hosts.'
  UNION ALL SELECT 'dhcpv6.lease.database.type', 'memfile', 'STRING',
    'Kea''s lease database type on the hosts.'
) d
WHERE NOT EXISTS (SELECT 1 FROM configuration c WHERE c.name = d.name);
