package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * V17 (IPv6 guest networks) on a database at V16 holding a zone, a network, a VM with NICs and settings an
 * admin changed, under MySQL 5.7's strict sql_mode: the rows keep their data, the DHCPv6 settings arrive with
 * their defaults except the one the admin had already set, the dual-stack offering is seeded once, the new
 * unique keys hold, and a V17 interrupted and run again changes nothing more.
 */
class Ipv6GuestNetworksUpgradeIT {

    @Test
    void v17AppliesOnAV16DatabaseWithDataKeepingAdminValuesAndRunsAgainHarmlessly() throws Exception {
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            String mode = text(dataSource, "SELECT @@SESSION.sql_mode");
            for (String strict : List.of("STRICT_TRANS_TABLES", "ONLY_FULL_GROUP_BY", "NO_ZERO_DATE")) {
                assertTrue(mode.contains(strict), "MySQL 5.7's strict sql_mode, not " + mode);
            }
            assertEquals(16, new DbUpgrader(dataSource).upgradeTo(16).toVersion());
            OldRows.accountZoneNetworkAndVm(schema);
            schema.execute(
                    "INSERT INTO nics (uuid, instance_id, network_id, data_center_id, mac_address, ip4_address,"
                            + " device_id, is_default, state, created) VALUES (UUID(), 9, 5, 3, '02:00:00:00:00:01',"
                            + " '10.0.0.10', 0, 1, 'Allocated', UTC_TIMESTAMP())",
                    // an admin's values: one of a setting V17 does not touch, one of a DHCPv6 setting set before V17
                    // (a server of the new version declared it, or an admin added it by hand)
                    "INSERT INTO configuration (name, category, value, default_value, type, description)"
                            + " VALUES ('vm.sync.interval', 'Advanced', '30', '10', 'INTEGER', 'd')",
                    "INSERT INTO configuration (name, category, value, default_value, type, description)"
                            + " VALUES ('dhcpv6.valid.lifetime', 'Network', '7200', '4000', 'INTEGER', 'admin''s')");

            UpgradeResult upgraded = new DbUpgrader(dataSource).upgradeTo(17);
            assertEquals(16, upgraded.fromVersion());
            assertEquals(List.of(17), upgraded.applied());
            List<String> expected = List.of(
                    "offering DefaultSharedNetworkOffering IPv4 1",
                    "offering DefaultSharedDualStackNetworkOffering DualStack 0",
                    "network old-net IPv4 null null null",
                    "nic 02:00:00:00:00:01 10.0.0.10 null null",
                    "setting dhcpv6.kea.control.socket /var/lib/rbdstack/dhcp/kea6-ctrl.sock STRING",
                    "setting dhcpv6.lease.database.type memfile STRING",
                    "setting dhcpv6.mac.sources duid STRING",
                    "setting dhcpv6.pd.delegated.length 64 INTEGER",
                    "setting dhcpv6.preferred.lifetime 3000 INTEGER",
                    "setting dhcpv6.rebind.timer 2000 INTEGER",
                    "setting dhcpv6.renew.timer 1000 INTEGER",
                    "setting dhcpv6.valid.lifetime 7200 INTEGER",
                    "setting vm.sync.interval 30 INTEGER");
            assertEquals(expected, rows(dataSource));
            assertEquals("Seconds after which a DHCPv6 client renews its address with the server that gave it (T1).",
                    text(dataSource, "SELECT description FROM configuration WHERE name = 'dhcpv6.renew.timer'"),
                    "inserted with its description");

            // The new model in use: a dual-stack network, its /64 from a zone prefix, a NIC's EUI-64 address, a pool.
            schema.execute(
                    "INSERT INTO dc_ip6_guest_prefix (id, uuid, data_center_id, prefix, created)"
                            + " VALUES (1, UUID(), 3, 'fd00:1::/56', UTC_TIMESTAMP())",
                    "UPDATE networks SET internet_protocol = 'DualStack', ip6_cidr = 'fd00:1::/64',"
                            + " ip6_gateway = 'fd00:1::1' WHERE id = 5",
                    "INSERT INTO ip6_guest_prefix_subnet_network_map (uuid, prefix_id, subnet, network_id, state, created)"
                            + " VALUES (UUID(), 1, 'fd00:1::/64', 5, 'Allocated', UTC_TIMESTAMP())",
                    "UPDATE nics SET ip6_address = 'fd00:1::ff:fe00:1', ip6_cidr = 'fd00:1::/64',"
                            + " ip6_gateway = 'fd00:1::1' WHERE network_id = 5",
                    "INSERT INTO network_ip6_pd_pool (network_id, prefix, delegated_length, created)"
                            + " VALUES (5, 'fd00:8000::/48', 56, UTC_TIMESTAMP())");
            // A second live network may not take the same /64.
            assertThrows(SQLException.class, () -> schema.execute("INSERT INTO networks (uuid, name, data_center_id,"
                    + " account_id, domain_id, ip6_cidr, state, created) VALUES (UUID(), 'twin', 3, 7, 1, 'fd00:1::/64',"
                    + " 'Setup', UTC_TIMESTAMP())"));

            // A crash inside V17 leaves it Started: the next start runs it again, tolerating what is there.
            SchemaSnapshot before = SchemaSnapshot.of(dataSource, schema.name());
            List<String> inUse = rows(dataSource);
            schema.execute("UPDATE `version` SET `step` = 'Started' WHERE `version` = 17");
            assertEquals(List.of(17), new DbUpgrader(dataSource).upgradeTo(17).applied());
            assertEquals(List.of(), before.differences(SchemaSnapshot.of(dataSource, schema.name())));
            assertEquals(inUse, rows(dataSource), "the offering and settings are inserted once, the data kept");
        }
    }

    private static String text(DataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> rows(DataSource dataSource) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT unique_name, internet_protocol, is_default FROM network_offering"
                    + " ORDER BY id")) {
                while (rs.next()) {
                    rows.add("offering " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT name, internet_protocol, ip6_cidr, ip6_gateway, live_ip6_cidr"
                    + " FROM networks ORDER BY id")) {
                while (rs.next()) {
                    rows.add("network " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getString(4) + " " + rs.getString(5));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT mac_address, ip4_address, ip6_address, live_ip6_address"
                    + " FROM nics ORDER BY id")) {
                while (rs.next()) {
                    rows.add("nic " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getString(4));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT name, value, type FROM configuration WHERE name LIKE 'dhcpv6.%'"
                    + " OR name = 'vm.sync.interval' ORDER BY name")) {
                while (rs.next()) {
                    rows.add("setting " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
        }
        return rows;
    }
}
