package io.rbdstack.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Plain JDBC with less ceremony: parameter binding, row mapping, generated keys and transactions.
 * Inside {@link #inTransaction} every call on the same thread uses the transaction's connection.
 * SQL errors become {@link DataAccessException} carrying the statement's first words.
 */
public final class Jdbc {

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface TransactionWork<T> {
        T run() throws Exception;
    }

    private final DataSource dataSource;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, args, false); ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        });
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) {
        List<T> rows = query(sql, mapper, args);
        if (rows.size() > 1) {
            throw new DataAccessException("Expected at most one row, got " + rows.size() + " from: " + excerpt(sql), null);
        }
        return rows.stream().findFirst();
    }

    public long queryLong(String sql, Object... args) {
        return queryOne(sql, rs -> rs.getLong(1), args).orElse(0L);
    }

    public int update(String sql, Object... args) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, args, false)) {
                return ps.executeUpdate();
            }
        });
    }

    /** Runs an INSERT and returns the generated AUTO_INCREMENT key. */
    public long insert(String sql, Object... args) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, args, true)) {
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    if (!keys.next()) {
                        throw new SQLException("no generated key");
                    }
                    return keys.getLong(1);
                }
            }
        });
    }

    public <T> T inTransaction(TransactionWork<T> work) throws Exception {
        if (transaction.get() != null) {
            return work.run();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            transaction.set(c);
            try {
                T result = work.run();
                c.commit();
                return result;
            } catch (Exception | Error e) {
                c.rollback();
                throw e;
            } finally {
                transaction.remove();
                c.setAutoCommit(true);
            }
        }
    }

    /** Runs {@code work} in one transaction; a checked failure comes back as a {@link DataAccessException}. */
    public void transaction(Runnable work) {
        try {
            inTransaction(() -> {
                work.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DataAccessException("Transaction failed", e);
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(String sql, ConnectionWork<T> work) {
        try {
            Connection tx = transaction.get();
            if (tx != null) {
                return work.run(tx);
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new DataAccessException("SQL failed (" + e.getErrorCode() + " " + e.getMessage() + "): " + excerpt(sql), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object[] args, boolean keys) throws SQLException {
        PreparedStatement ps = keys ? c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS) : c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof Instant instant) {
                ps.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (arg instanceof Enum<?> e) {
                ps.setString(i + 1, e.name());
            } else {
                ps.setObject(i + 1, arg);
            }
        }
        return ps;
    }

    private static String excerpt(String sql) {
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() > 80 ? flat.substring(0, 80) + "…" : flat;
    }
}
