package io.rbdstack.dbupgrade;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The structure of a schema as information_schema describes it (tables, columns with type,
 * nullability and default, indexes, constraints and foreign keys, views), plus each table's row count
 * and the version rows: each fact one line, the schema's own name replaced so two schemas compare.
 */
record SchemaSnapshot(Map<String, List<String>> facts) {

    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("table", "SELECT TABLE_NAME, TABLE_TYPE, ENGINE, TABLE_COLLATION, ROW_FORMAT, TABLE_COMMENT"
                + " FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?");
        QUERIES.put("column", "SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, IS_NULLABLE,"
                + " COLUMN_DEFAULT, EXTRA, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_KEY, COLUMN_COMMENT"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?");
        QUERIES.put("index", "SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, SUB_PART,"
                + " INDEX_TYPE, NULLABLE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ?");
        QUERIES.put("constraint", "SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE"
                + " FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?");
        QUERIES.put("key column", "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION,"
                + " POSITION_IN_UNIQUE_CONSTRAINT, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME,"
                + " REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_SCHEMA = ?");
        QUERIES.put("foreign key", "SELECT TABLE_NAME, CONSTRAINT_NAME, UNIQUE_CONSTRAINT_NAME, REFERENCED_TABLE_NAME,"
                + " UPDATE_RULE, DELETE_RULE, MATCH_OPTION"
                + " FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?");
        QUERIES.put("view", "SELECT TABLE_NAME, VIEW_DEFINITION, CHECK_OPTION, SECURITY_TYPE"
                + " FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?");
    }

    static SchemaSnapshot of(DataSource dataSource, String schema) throws SQLException {
        Map<String, List<String>> facts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<String, String> query : QUERIES.entrySet()) {
                facts.put(query.getKey(), rows(c, query.getValue(), schema));
            }
            List<String> counts = new ArrayList<>();
            for (String table : baseTables(c, schema)) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM `" + table + "`")) {
                    rs.next();
                    counts.add(table + " rows=" + rs.getLong(1));
                }
            }
            facts.put("row count", counts);
            facts.put("version row", rows(c, "SELECT `version`, `description`, `checksum`, `step` FROM `version`"
                    + " WHERE ? IS NOT NULL", schema));
        }
        return new SchemaSnapshot(facts);
    }

    List<String> tableNames() {
        return facts.get("table").stream().map(f -> f.substring(0, f.indexOf(" | "))).toList();
    }

    /** Lines only in this snapshot ("-") or only in the other ("+"), empty when the schemas are the same. */
    List<String> differences(SchemaSnapshot other) {
        List<String> diff = new ArrayList<>();
        for (String kind : facts.keySet()) {
            List<String> mine = facts.get(kind);
            List<String> theirs = other.facts.getOrDefault(kind, List.of());
            mine.stream().filter(f -> !theirs.contains(f)).forEach(f -> diff.add("- " + kind + ": " + f));
            theirs.stream().filter(f -> !mine.contains(f)).forEach(f -> diff.add("+ " + kind + ": " + f));
        }
        return diff;
    }

    private static List<String> rows(Connection c, String sql, String schema) throws SQLException {
        TreeSet<String> lines = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        String value = rs.getString(i);
                        line.append(i == 1 ? "" : " | ").append(i == 1 ? "" : meta.getColumnLabel(i) + "=")
                                .append(value == null ? "NULL" : value.replace(schema, "<schema>"));
                    }
                    lines.add(line.toString());
                }
            }
        }
        return List.copyOf(lines);
    }

    private static List<String> baseTables(Connection c, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT TABLE_NAME FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }
}
