package io.rbdstack.server.auth;

import io.rbdstack.server.api.Caller;
import io.rbdstack.server.db.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Users, their accounts and domains, as the API layer needs them. */
public final class UserRepository {

    private static final String CALLER_COLUMNS = "u.id, u.uuid, u.username, a.id AS account_id, a.uuid AS account_uuid,"
            + " a.account_name, a.type, d.id AS domain_id, d.uuid AS domain_uuid, d.path";
    private static final String ACTIVE_USER = " FROM user u JOIN account a ON a.id = u.account_id"
            + " JOIN domain d ON d.id = a.domain_id WHERE u.removed IS NULL AND a.removed IS NULL"
            + " AND u.state = 'enabled' AND a.state = 'enabled'";

    /** A user found by API key, with the ciphertext of its secret key. */
    public record ApiKeyOwner(Caller caller, String encryptedSecretKey) {
    }

    /** A user found for login, with its password hash. */
    public record LoginCandidate(Caller caller, String passwordHash) {
    }

    /** A user as listUsers and createAccount show it. */
    public record UserView(String id, String username, String firstname, String lastname, String email,
                           String created, String state, String account, Integer accounttype, String roletype,
                           String accountid, String domainid, String domain, String apikey) {
    }

    private static final String USER_VIEW = "SELECT u.uuid, u.username, u.firstname, u.lastname, u.email, u.created,"
            + " u.state, u.api_key, a.account_name, a.type, a.uuid AS account_uuid, d.uuid AS domain_uuid,"
            + " d.name AS domain_name FROM user u JOIN account a ON a.id = u.account_id JOIN domain d ON d.id = a.domain_id";

    private final Jdbc jdbc;

    public UserRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Caller> findActiveCaller(long userId) {
        return jdbc.queryOne("SELECT " + CALLER_COLUMNS + ACTIVE_USER + " AND u.id = ?", UserRepository::caller, userId);
    }

    /**
     * The account's first enabled user, in whose name work done for the account runs (a snapshot
     * policy's snapshots); empty when the account is disabled or removed or has no enabled user.
     */
    public Optional<Caller> firstActiveUserOf(long accountId) {
        return jdbc.queryOne("SELECT " + CALLER_COLUMNS + ACTIVE_USER + " AND a.id = ? ORDER BY u.id LIMIT 1",
                UserRepository::caller, accountId);
    }

    public Optional<ApiKeyOwner> findByApiKey(String apiKey) {
        return jdbc.queryOne("SELECT " + CALLER_COLUMNS + ", u.secret_key" + ACTIVE_USER + " AND u.api_key = ?",
                rs -> new ApiKeyOwner(caller(rs), rs.getString("secret_key")), apiKey);
    }

    public Optional<LoginCandidate> findForLogin(String username, String domainPath) {
        return jdbc.queryOne("SELECT " + CALLER_COLUMNS + ", u.password" + ACTIVE_USER
                        + " AND u.username = ? AND d.path = ?",
                rs -> new LoginCandidate(caller(rs), rs.getString("password")), username, domainPath);
    }

    public Optional<String> domainPathByUuid(String domainUuid) {
        return jdbc.queryOne("SELECT path FROM domain WHERE uuid = ? AND removed IS NULL", rs -> rs.getString(1), domainUuid);
    }

    public boolean anyUserExists() {
        return jdbc.queryLong("SELECT COUNT(*) FROM user") > 0;
    }

    public boolean usernameTaken(String username, long domainId) {
        return jdbc.queryLong("SELECT COUNT(*) FROM user u JOIN account a ON a.id = u.account_id"
                + " WHERE u.username = ? AND a.domain_id = ? AND u.removed IS NULL", username, domainId) > 0;
    }

    /** Creates an account with its first user; returns the user's id. */
    public long createAccountWithUser(String accountName, int accountType, long domainId, String username,
                                      String passwordHash, String firstname, String lastname, String email) throws Exception {
        return jdbc.inTransaction(() -> {
            Instant now = Instant.now();
            long accountId = jdbc.insert("INSERT INTO account (uuid, account_name, type, domain_id, state, created)"
                    + " VALUES (?, ?, ?, ?, 'enabled', ?)", UUID.randomUUID().toString(), accountName, accountType, domainId, now);
            return jdbc.insert("INSERT INTO user (uuid, username, password, account_id, firstname, lastname, email, state, created)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, 'enabled', ?)",
                    UUID.randomUUID().toString(), username, passwordHash, accountId, firstname, lastname, email, now);
        });
    }

    public void setApiKeys(long userId, String apiKey, String encryptedSecretKey) {
        jdbc.update("UPDATE user SET api_key = ?, secret_key = ? WHERE id = ?", apiKey, encryptedSecretKey, userId);
    }

    public Optional<Long> userIdByUuid(String uuid) {
        return jdbc.queryOne("SELECT id FROM user WHERE uuid = ? AND removed IS NULL", rs -> rs.getLong(1), uuid);
    }

    /** A user row as updateUser, disableUser and enableUser need it. */
    public record UserRow(long id, String uuid, String username, long accountId, long domainId, String state,
                          String passwordHash) {
    }

    /** What updateUser changes; an absent field is left as it is. */
    public record UserUpdate(Optional<String> username, Optional<String> passwordHash, Optional<String> firstname,
                             Optional<String> lastname, Optional<String> email) {
    }

    public Optional<UserRow> findRow(String uuid) {
        return jdbc.queryOne("SELECT u.id, u.uuid, u.username, u.account_id, a.domain_id, u.state, u.password"
                + " FROM user u JOIN account a ON a.id = u.account_id WHERE u.uuid = ? AND u.removed IS NULL",
                rs -> new UserRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("username"),
                        rs.getLong("account_id"), rs.getLong("domain_id"), rs.getString("state"),
                        rs.getString("password")), uuid);
    }

    /** Applies the whole update in one transaction. */
    public void update(long userId, UserUpdate update) {
        jdbc.transaction(() -> {
            update.username().ifPresent(v -> jdbc.update("UPDATE user SET username = ? WHERE id = ?", v, userId));
            update.passwordHash().ifPresent(v -> jdbc.update("UPDATE user SET password = ? WHERE id = ?", v, userId));
            update.firstname().ifPresent(v -> jdbc.update("UPDATE user SET firstname = ? WHERE id = ?", v, userId));
            update.lastname().ifPresent(v -> jdbc.update("UPDATE user SET lastname = ? WHERE id = ?", v, userId));
            update.email().ifPresent(v -> jdbc.update("UPDATE user SET email = ? WHERE id = ?", v, userId));
        });
    }

    /** Enables or disables a user; enabling also forgets its failed logins. */
    public void setEnabled(long userId, boolean enabled) {
        jdbc.update("UPDATE user SET state = ?, incorrect_login_attempts = IF(?, 0, incorrect_login_attempts)"
                + " WHERE id = ?", enabled ? "enabled" : "disabled", enabled, userId);
    }

    /** The user as listUsers shows it, whoever asks. */
    public UserView view(String userUuid) {
        return jdbc.queryOne(USER_VIEW + " WHERE u.uuid = ?", UserRepository::userView, userUuid).orElseThrow();
    }

    public List<UserView> listUsers(Caller caller, Optional<String> userUuid, String limit) {
        String sql = USER_VIEW + " WHERE u.removed IS NULL AND (? OR a.id = ?) AND (? IS NULL OR u.uuid = ?) ORDER BY u.id"
                + limit;
        return jdbc.query(sql, UserRepository::userView, caller.isRootAdmin(), caller.accountId(),
                userUuid.orElse(null), userUuid.orElse(null));
    }

    public long countUsers(Caller caller, Optional<String> userUuid) {
        return jdbc.queryLong("SELECT COUNT(*) FROM user u JOIN account a ON a.id = u.account_id"
                        + " WHERE u.removed IS NULL AND (? OR a.id = ?) AND (? IS NULL OR u.uuid = ?)",
                caller.isRootAdmin(), caller.accountId(), userUuid.orElse(null), userUuid.orElse(null));
    }

    private static UserView userView(ResultSet rs) throws SQLException {
        int type = rs.getInt("type");
        return new UserView(rs.getString("uuid"), rs.getString("username"), rs.getString("firstname"),
                rs.getString("lastname"), rs.getString("email"),
                io.rbdstack.server.api.ApiJson.date(Jdbc.instant(rs, "created")), rs.getString("state"),
                rs.getString("account_name"), type, roleType(type), rs.getString("account_uuid"),
                rs.getString("domain_uuid"), rs.getString("domain_name"), rs.getString("api_key"));
    }

    private static String roleType(int type) {
        return switch (type) {
            case Caller.TYPE_ADMIN -> "Admin";
            case Caller.TYPE_DOMAIN_ADMIN -> "DomainAdmin";
            default -> "User";
        };
    }

    private static Caller caller(ResultSet rs) throws SQLException {
        return new Caller(rs.getLong("id"), rs.getString("uuid"), rs.getString("username"), rs.getLong("account_id"),
                rs.getString("account_uuid"), rs.getString("account_name"), rs.getInt("type"), rs.getLong("domain_id"),
                rs.getString("domain_uuid"), rs.getString("path"));
    }
}
