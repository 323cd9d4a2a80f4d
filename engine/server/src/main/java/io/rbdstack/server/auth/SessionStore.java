package io.rbdstack.server.auth;

import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.db.Jdbc;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Login sessions, kept in the {@code user_session} table so they survive a restart and every
 * management server on the database knows them. A {@code JSESSIONID} cookie names the session and
 * the {@code sessionkey} parameter proves the caller read the login response (CloudStack's guard
 * against cross-site requests). Only SHA-256 hashes of both are stored. Sessions expire after
 * being idle for the configured timeout.
 */
public final class SessionStore {

    /** A new login: the only time the session id and key exist outside the client. */
    public record NewSession(String id, String sessionKey, long userId) {
        @Override
        public String toString() {
            return "NewSession[user " + userId + "]";
        }
    }

    /** A live session as stored. */
    public record Session(long rowId, String keyHash, long userId, Instant lastAccess) {

        /** Whether {@code sessionKey} is this session's key, compared in constant time. */
        public boolean hasKey(String sessionKey) {
            return MessageDigest.isEqual(SecretCipher.sha256Hex(sessionKey).getBytes(StandardCharsets.US_ASCII),
                    keyHash.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private final Jdbc jdbc;
    private final Duration timeout;
    private final Clock clock;
    /** A session's last access is written at most this often, not on every call. */
    private final Duration touchGranularity;

    public SessionStore(Jdbc jdbc, Duration timeout, Clock clock) {
        this.jdbc = jdbc;
        this.timeout = timeout;
        this.clock = clock;
        this.touchGranularity = timeout.dividedBy(10).compareTo(Duration.ofMinutes(1)) < 0
                ? timeout.dividedBy(10) : Duration.ofMinutes(1);
    }

    public Duration timeout() {
        return timeout;
    }

    public NewSession create(long userId) {
        Instant now = clock.instant();
        // Expired sessions of anyone go when someone logs in: the table stays as small as the live sessions.
        jdbc.update("DELETE FROM user_session WHERE last_access < ?", now.minus(timeout));
        NewSession session = new NewSession(SecretCipher.newToken(), SecretCipher.newToken(), userId);
        jdbc.insert("INSERT INTO user_session (session_hash, key_hash, user_id, created, last_access)"
                + " VALUES (?, ?, ?, ?, ?)", SecretCipher.sha256Hex(session.id()),
                SecretCipher.sha256Hex(session.sessionKey()), userId, now, now);
        return session;
    }

    /** The live session a cookie value names, its idle timer refreshed; an expired one is deleted. */
    public Optional<Session> touch(String sessionId) {
        String hash = SecretCipher.sha256Hex(sessionId);
        Optional<Session> found = jdbc.queryOne("SELECT id, key_hash, user_id, last_access FROM user_session"
                + " WHERE session_hash = ?", rs -> new Session(rs.getLong("id"), rs.getString("key_hash"),
                rs.getLong("user_id"), Jdbc.instant(rs, "last_access")), hash);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Session session = found.get();
        if (session.lastAccess().plus(timeout).isBefore(now)) {
            jdbc.update("DELETE FROM user_session WHERE id = ?", session.rowId());
            return Optional.empty();
        }
        if (session.lastAccess().plus(touchGranularity).isBefore(now)) {
            jdbc.update("UPDATE user_session SET last_access = ? WHERE id = ?", now, session.rowId());
        }
        return found;
    }

    public void invalidate(String sessionId) {
        jdbc.update("DELETE FROM user_session WHERE session_hash = ?", SecretCipher.sha256Hex(sessionId));
    }

    /** Ends every session of a user: after a password change, when the user is disabled. */
    public int endSessionsOf(long userId) {
        return jdbc.update("DELETE FROM user_session WHERE user_id = ?", userId);
    }

    /** Ends every session of every user of an account: when it is disabled, locked or deleted. */
    public int endSessionsOfAccount(long accountId) {
        return jdbc.update("DELETE FROM user_session WHERE user_id IN (SELECT u.id FROM user u WHERE u.account_id = ?)",
                accountId);
    }
}
