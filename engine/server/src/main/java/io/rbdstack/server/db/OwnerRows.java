package io.rbdstack.server.db;

import io.rbdstack.server.api.Owners;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** {@link Owners} over the account and domain tables: live rows only. */
public final class OwnerRows implements Owners {

    private static final String ACCOUNT = "SELECT a.id, a.uuid, a.account_name, a.type, d.id AS domain_id,"
            + " d.uuid AS domain_uuid, d.path FROM account a JOIN domain d ON d.id = a.domain_id WHERE a.removed IS NULL";

    private final Jdbc jdbc;

    public OwnerRows(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<DomainRef> domain(String uuid) {
        return jdbc.queryOne("SELECT id, uuid, path FROM domain WHERE uuid = ? AND removed IS NULL",
                rs -> new DomainRef(rs.getLong(1), rs.getString(2), rs.getString(3)), uuid);
    }

    @Override
    public Optional<AccountRef> account(String uuid) {
        return jdbc.queryOne(ACCOUNT + " AND a.uuid = ?", OwnerRows::account, uuid);
    }

    @Override
    public Optional<AccountRef> account(String name, long domainId) {
        return jdbc.queryOne(ACCOUNT + " AND a.account_name = ? AND a.domain_id = ?", OwnerRows::account, name,
                domainId);
    }

    private static AccountRef account(ResultSet rs) throws SQLException {
        return new AccountRef(rs.getLong("id"), rs.getString("uuid"), rs.getString("account_name"), rs.getInt("type"),
                new DomainRef(rs.getLong("domain_id"), rs.getString("domain_uuid"), rs.getString("path")));
    }
}
