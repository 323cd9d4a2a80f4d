package io.rbdstack.dbupgrade;

import java.sql.SQLException;

/**
 * Rows an older schema already holds, for upgrade tests to start from: account 7 'old', zone 3
 * 'old-zone', shared network 5 'old-net' (10.0.0.0/24) and Stopped VM 9 'old-vm'. Only columns every
 * schema since V4 has are written.
 */
final class OldRows {

    private OldRows() {
    }

    static void accountZoneNetworkAndVm(ThrowAwaySchema schema) throws SQLException {
        schema.execute(
                "INSERT INTO account (id, uuid, account_name, type, domain_id, created)"
                        + " VALUES (7, UUID(), 'old', 0, 1, UTC_TIMESTAMP())",
                "INSERT INTO data_center (id, uuid, name, network_type, created)"
                        + " VALUES (3, UUID(), 'old-zone', 'Advanced', UTC_TIMESTAMP())",
                "INSERT INTO networks (id, uuid, name, data_center_id, account_id, domain_id, guest_type, cidr,"
                        + " gateway, state, created) VALUES (5, UUID(), 'old-net', 3, 7, 1, 'Shared', '10.0.0.0/24',"
                        + " '10.0.0.1', 'Setup', UTC_TIMESTAMP())",
                "INSERT INTO vm_instance (id, uuid, name, instance_name, state, account_id, domain_id, data_center_id,"
                        + " cpus, cpu_speed, memory_mb, created) VALUES (9, UUID(), 'old-vm', 'i-7-9', 'Stopped', 7, 1,"
                        + " 3, 1, 500, 128, UTC_TIMESTAMP())");
    }
}
