package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * V14 (guest networks) on a database at V13 that already holds a zone, a network, a VM and NICs: the
 * rows keep their data, NICs get their zone, a removed NIC frees its address, the offering is seeded
 * once, and a V14 interrupted and run again changes nothing more.
 */
class GuestNetworksUpgradeIT {

    @Test
    void v14AppliesOnAV13DatabaseWithDataAndRunsAgainHarmlessly() throws Exception {
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            assertEquals(13, new DbUpgrader(dataSource).upgradeTo(13).toVersion());
            OldRows.accountZoneNetworkAndVm(schema);
            schema.execute(
                    // an expunged NIC and the live one that took its address afterwards
                    "INSERT INTO nics (uuid, instance_id, network_id, mac_address, ip4_address, device_id, is_default,"
                            + " state, created, removed) VALUES (UUID(), 9, 5, '02:00:00:00:00:01', '10.0.0.10', 0, 1,"
                            + " 'Deallocating', UTC_TIMESTAMP(), UTC_TIMESTAMP())",
                    "INSERT INTO nics (uuid, instance_id, network_id, mac_address, ip4_address, device_id, is_default,"
                            + " state, created) VALUES (UUID(), 9, 5, '02:00:00:00:00:02', '10.0.0.10', 0, 1,"
                            + " 'Allocated', UTC_TIMESTAMP())");

            UpgradeResult upgraded = new DbUpgrader(dataSource).upgradeTo(14);
            assertEquals(13, upgraded.fromVersion());
            assertEquals(14, upgraded.applied().get(0));
            List<String> expected = List.of(
                    "offerings DefaultSharedNetworkOffering Shared Guest 1 1 Enabled",
                    "zone old-zone 1",
                    "network old-net 10.0.0.1 null null",
                    "nic 02:00:00:00:00:01 10.0.0.10 3 null",
                    "nic 02:00:00:00:00:02 10.0.0.10 3 10.0.0.10");
            assertEquals(expected, rows(dataSource));

            // A crash inside V14 leaves it Started: the next start runs it again, tolerating what is there.
            SchemaSnapshot before = SchemaSnapshot.of(dataSource, schema.name());
            schema.execute("UPDATE `version` SET `step` = 'Started' WHERE `version` = 14");
            assertEquals(List.of(14), new DbUpgrader(dataSource).upgradeTo(14).applied());
            assertEquals(List.of(), before.differences(SchemaSnapshot.of(dataSource, schema.name())));
            assertEquals(expected, rows(dataSource), "the offering is seeded once, the data kept");
        }
    }

    private static List<String> rows(DataSource dataSource) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT unique_name, guest_type, traffic_type, specify_vlan,"
                    + " specify_ip_ranges, state FROM network_offering")) {
                while (rs.next()) {
                    rows.add("offerings " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getInt(4) + " " + rs.getInt(5) + " " + rs.getString(6));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT name, mac_address FROM data_center ORDER BY id")) {
                while (rs.next()) {
                    rows.add("zone " + rs.getString(1) + " " + rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT name, gateway, network_offering_id, live_vlan_id FROM networks")) {
                while (rs.next()) {
                    rows.add("network " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                            + rs.getString(4));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT mac_address, ip4_address, data_center_id, live_ip4_address"
                    + " FROM nics ORDER BY id")) {
                while (rs.next()) {
                    rows.add("nic " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3) + " "
                            + rs.getString(4));
                }
            }
        }
        return rows;
    }
}
