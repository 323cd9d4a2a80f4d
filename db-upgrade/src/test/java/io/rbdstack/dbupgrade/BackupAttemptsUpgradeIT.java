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
 * V23 (backup attempts' names) on a database at V22 that holds backed-up, deleted and never backed-up
 * snapshots: their rows and recorded backup paths are kept, and every one past Creating (a deleted one never
 * backed up too: an old agent may have left its partial) gets {@code backup_attempted} once (its creation), so
 * the storage cleanup looks for old leftovers once; one still Allocated or Creating had no attempt.
 */
class BackupAttemptsUpgradeIT {

    @Test
    void v23KeepsRecordedBackupsAndStampsSnapshotsThatMayHaveHadAttempts() throws Exception {
        try (ThrowAwaySchema schema = ThrowAwaySchema.create()) {
            DataSource dataSource = schema.newDataSource();
            assertEquals(22, new DbUpgrader(dataSource).upgradeTo(22).toVersion());
            OldRows.accountZoneNetworkAndVm(schema);
            String snapshot = "INSERT INTO snapshots (id, uuid, name, volume_id, account_id, domain_id, data_center_id,"
                    + " snapshot_type, size, status, hypervisor_type, created, removed) VALUES ";
            String ref = "INSERT INTO snapshot_store_ref (snapshot_id, store_id, store_role, volume_id, install_path,"
                    + " size, physical_size, checksum, state, created) VALUES ";
            schema.execute(
                    "INSERT INTO volumes (id, uuid, name, account_id, domain_id, data_center_id, volume_type, size,"
                            + " state, created) VALUES (11, UUID(), 'old-vol', 7, 1, 3, 'DATADISK', 1, 'Ready',"
                            + " UTC_TIMESTAMP())",
                    snapshot + "(21, 's21', 'backed', 11, 7, 1, 3, 'MANUAL', 1, 'BackedUp', 'KVM',"
                            + " '2026-01-02 03:04:05', NULL)",
                    snapshot + "(22, 's22', 'deleted-kept', 11, 7, 1, 3, 'MANUAL', 1, 'Destroyed', 'KVM',"
                            + " '2026-01-02 03:04:06', UTC_TIMESTAMP())",
                    snapshot + "(23, 's23', 'never-backed', 11, 7, 1, 3, 'MANUAL', 1, 'Destroyed', 'KVM',"
                            + " '2026-01-02 03:04:07', UTC_TIMESTAMP())",
                    snapshot + "(24, 's24', 'on-primary', 11, 7, 1, 3, 'MANUAL', 1, 'CreatedOnPrimary', 'KVM',"
                            + " '2026-01-02 03:04:08', NULL)",
                    snapshot + "(25, 's25', 'taking', 11, 7, 1, 3, 'MANUAL', 1, 'Creating', 'KVM',"
                            + " '2026-01-02 03:04:09', NULL)",
                    ref + "(21, 1, 'Image', 11, 'snapshots/7/11/s21.rbddiff', 1, 1, 'aa', 'Ready', UTC_TIMESTAMP())",
                    ref + "(22, 1, 'Image', 11, 'snapshots/7/11/s22.rbddiff', 1, 1, 'bb', 'Ready', UTC_TIMESTAMP())");

            assertEquals(List.of(23), new DbUpgrader(dataSource).upgradeTo(23).applied());
            List<String> expected = List.of(
                    "s21 BackedUp 2026-01-02 03:04:05.0",
                    "s22 Destroyed 2026-01-02 03:04:06.0",
                    "s23 Destroyed 2026-01-02 03:04:07.0",
                    "s24 CreatedOnPrimary 2026-01-02 03:04:08.0",
                    "s25 Creating null",
                    "ref 21 snapshots/7/11/s21.rbddiff aa",
                    "ref 22 snapshots/7/11/s22.rbddiff bb");
            assertEquals(expected, rows(dataSource));

            // A crash inside V23 leaves it Started: the next start runs it again, tolerating what is there.
            SchemaSnapshot before = SchemaSnapshot.of(dataSource, schema.name());
            schema.execute("UPDATE `version` SET `step` = 'Started' WHERE `version` = 23");
            assertEquals(List.of(23), new DbUpgrader(dataSource).upgradeTo(23).applied());
            assertEquals(List.of(), before.differences(SchemaSnapshot.of(dataSource, schema.name())));
            assertEquals(expected, rows(dataSource));
        }
    }

    private static List<String> rows(DataSource dataSource) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT uuid, status, backup_attempted FROM snapshots ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getTimestamp(3));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT snapshot_id, install_path, checksum FROM snapshot_store_ref"
                    + " ORDER BY id")) {
                while (rs.next()) {
                    rows.add("ref " + rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
        }
        return rows;
    }
}
