package io.rbdstack.server.auth;

import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.db.Conditions;
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
        return createAccountWithUser(new NewAccount(accountName, accountType, domainId, null),
                new NewUser(username, passwordHash, firstname, lastname, email));
    }

    /** What createAccount stores for the account. */
    public record NewAccount(String name, int type, long domainId, String networkDomain) {
    }

    /** What createAccount and createUser store for a user. */
    public record NewUser(String username, String passwordHash, String firstname, String lastname, String email) {
        @Override
        public String toString() {
            return "NewUser[" + username + "]";
        }
    }

    /**
     * Creates an account with its first user, in a live domain (a domain being deleted holds its row lock until
     * it is removed); returns the user's id.
     */
    public long createAccountWithUser(NewAccount account, NewUser user) throws Exception {
        return jdbc.inTransaction(() -> {
            Instant now = Instant.now();
            int created = jdbc.update("INSERT INTO account (uuid, account_name, type, domain_id, state, network_domain,"
                    + " created) SELECT ?, ?, ?, id, 'enabled', ?, ? FROM domain WHERE id = ? AND removed IS NULL",
                    UUID.randomUUID().toString(), account.name(), account.type(), account.networkDomain(), now,
                    account.domainId());
            if (created == 0) {
                throw io.rbdstack.server.api.ApiException.invalidParameter("The domain was deleted meanwhile"
                        + " (parameter domainid)");
            }
            long accountId = jdbc.queryLong("SELECT id FROM account WHERE domain_id = ? AND live_name = ?",
                    account.domainId(), account.name());
            return createUser(accountId, user);
        });
    }

    /** Adds a user to an account; returns the user's id. */
    public long createUser(long accountId, NewUser user) {
        return jdbc.insert("INSERT INTO user (uuid, username, password, account_id, firstname, lastname, email, state,"
                        + " created) VALUES (?, ?, ?, ?, ?, ?, ?, 'enabled', ?)", UUID.randomUUID().toString(),
                user.username(), user.passwordHash(), accountId, user.firstname(), user.lastname(), user.email(),
                Instant.now());
    }

    /** Marks the user removed and forgets its API keys, so neither a session nor a key works any more. */
    public void remove(long userId) {
        jdbc.update("UPDATE user SET removed = ?, state = 'disabled', api_key = NULL, secret_key = NULL WHERE id = ?",
                Instant.now(), userId);
    }

    public void setApiKeys(long userId, String apiKey, String encryptedSecretKey) {
        jdbc.update("UPDATE user SET api_key = ?, secret_key = ? WHERE id = ?", apiKey, encryptedSecretKey, userId);
    }

    public String uuidOf(long userId) {
        return jdbc.queryOne("SELECT uuid FROM user WHERE id = ?", rs -> rs.getString(1), userId).orElseThrow();
    }

    public Optional<Long> userIdByUuid(String uuid) {
        return jdbc.queryOne("SELECT id FROM user WHERE uuid = ? AND removed IS NULL", rs -> rs.getLong(1), uuid);
    }

    /** A user row as updateUser, disableUser and enableUser need it. */
    public record UserRow(long id, String uuid, String username, long accountId, int accountType, long domainId,
                          String domainPath, String state, String passwordHash) {
        @Override
        public String toString() {
            return "UserRow[" + uuid + " " + username + "]";
        }
    }

    /** What updateUser changes; an absent field is left as it is. */
    public record UserUpdate(Optional<String> username, Optional<String> passwordHash, Optional<String> firstname,
                             Optional<String> lastname, Optional<String> email) {
    }

    public Optional<UserRow> findRow(String uuid) {
        return jdbc.queryOne("SELECT u.id, u.uuid, u.username, u.account_id, a.type, a.domain_id, d.path, u.state,"
                + " u.password"
                + " FROM user u JOIN account a ON a.id = u.account_id JOIN domain d ON d.id = a.domain_id"
                + " WHERE u.uuid = ? AND u.removed IS NULL",
                rs -> new UserRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("username"),
                        rs.getLong("account_id"), rs.getInt("type"), rs.getLong("domain_id"), rs.getString("path"),
                        rs.getString("state"),
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

    /** listUsers filters; {@code scope} says whose users. */
    public record UserFilter(ListScope scope, Optional<String> uuid, Optional<String> username, Optional<String> state,
                             Optional<String> keyword) {

        public static UserFilter byId(String uuid) {
            return new UserFilter(ListScope.everything(), Optional.of(uuid), Optional.empty(), Optional.empty(),
                    Optional.empty());
        }

        ListScope.Sql where() {
            return new Conditions().and(" WHERE u.removed IS NULL").and(scope.where("a.id", "a.domain_id"))
                    .and(" AND u.uuid = ?", uuid).and(" AND u.username = ?", username).and(" AND u.state = ?", state)
                    .like(" AND u.username LIKE ?", keyword).sql();
        }
    }

    public List<UserView> listUsers(UserFilter filter, String limit) {
        ListScope.Sql where = filter.where();
        return jdbc.query(USER_VIEW + where.text() + " ORDER BY u.id" + limit, UserRepository::userView,
                where.args().toArray());
    }

    public long countUsers(UserFilter filter) {
        ListScope.Sql where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM user u JOIN account a ON a.id = u.account_id"
                + " JOIN domain d ON d.id = a.domain_id" + where.text(), where.args().toArray());
    }

    /** The live users of the given accounts, in the order they were created. */
    public List<UserView> usersOf(java.util.Collection<Long> accountIds) {
        if (accountIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query(USER_VIEW + " WHERE u.removed IS NULL AND u.account_id IN ("
                + String.join(", ", java.util.Collections.nCopies(accountIds.size(), "?")) + ") ORDER BY u.id",
                UserRepository::userView, accountIds.toArray());
    }

    /** The ids of the account's live users. */
    public List<Long> userIdsOf(long accountId) {
        return jdbc.query("SELECT id FROM user WHERE account_id = ? AND removed IS NULL", rs -> rs.getLong(1), accountId);
    }

    private static UserView userView(ResultSet rs) throws SQLException {
        int type = rs.getInt("type");
        return new UserView(rs.getString("uuid"), rs.getString("username"), rs.getString("firstname"),
                rs.getString("lastname"), rs.getString("email"),
                io.rbdstack.server.api.ApiJson.date(Jdbc.instant(rs, "created")), rs.getString("state"),
                rs.getString("account_name"), type, Caller.roleType(type), rs.getString("account_uuid"),
                rs.getString("domain_uuid"), rs.getString("domain_name"), rs.getString("api_key"));
    }


    private static Caller caller(ResultSet rs) throws SQLException {
        return new Caller(rs.getLong("id"), rs.getString("uuid"), rs.getString("username"), rs.getLong("account_id"),
                rs.getString("account_uuid"), rs.getString("account_name"), rs.getInt("type"), rs.getLong("domain_id"),
                rs.getString("domain_uuid"), rs.getString("path"));
    }
}
