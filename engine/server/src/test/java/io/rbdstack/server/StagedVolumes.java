package io.rbdstack.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Volume rows put straight into a test schema, for engine tests that need volumes but no storage:
 * one zone and one RBD pool row (no plugin or host behind them, so any storage work fails), and
 * volumes of a given account in a given state.
 */
public final class StagedVolumes {

    private final TestDatabase db;

    public StagedVolumes(TestDatabase db) {
        this.db = db;
    }

    /** A 1 GB data volume of {@code accountId}; its uuid. */
    public String volume(long accountId, String name, String state) throws SQLException {
        String uuid = UUID.randomUUID().toString();
        try (Connection c = db.connect()) {
            execute(c, "INSERT INTO data_center (uuid, name, network_type, created) SELECT UUID(), 'staged', 'Advanced',"
                    + " UTC_TIMESTAMP() FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM data_center WHERE name = 'staged')");
            execute(c, "INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                    + " host_address, path, status, created) SELECT UUID(), 'staged', 'RBD', 'ZONE', id, 'RBD', 'mon',"
                    + " 'rbd', 'Up', UTC_TIMESTAMP() FROM data_center WHERE name = 'staged' AND NOT EXISTS"
                    + " (SELECT 1 FROM storage_pool WHERE name = 'staged')");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO volumes (uuid, name, account_id, domain_id,"
                    + " data_center_id, pool_id, volume_type, size, path, state, created) SELECT ?, ?, a.id, a.domain_id,"
                    + " p.data_center_id, p.id, 'DATADISK', 1073741824, ?, ?, UTC_TIMESTAMP() FROM account a,"
                    + " storage_pool p WHERE a.id = ? AND p.name = 'staged'")) {
                ps.setString(1, uuid);
                ps.setString(2, name);
                ps.setString(3, uuid);
                ps.setString(4, state);
                ps.setLong(5, accountId);
                if (ps.executeUpdate() != 1) {
                    throw new SQLException("no account " + accountId);
                }
            }
        }
        return uuid;
    }

    /** The id of the account named {@code name}. */
    public long accountId(String name) throws SQLException {
        return longValue("SELECT id FROM account WHERE account_name = ?", name);
    }

    /** The first column of the first row of a query with string arguments. */
    public long longValue(String sql, String... args) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no row: " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
