package io.rbdstack.server.auth;

import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts failed logins, in the database so every management server sees the same counts: per user
 * (failures in a row; {@code incorrect.login.attempts.allowed} of them disable the user, as in
 * CloudStack) and per source address (failures within {@code login.source.failure.window}; past
 * {@code login.source.failures.allowed} every login from that address is refused until the window ends).
 */
public final class LoginThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(LoginThrottle.class);
    private static final int MAX_SOURCE_LENGTH = 64;

    private final Jdbc jdbc;
    private final SettingsRepository settings;
    private final SessionStore sessions;
    private final Clock clock;

    public LoginThrottle(Jdbc jdbc, SettingsRepository settings, SessionStore sessions, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Whether logins from {@code source} are refused now, before any password is looked at. */
    public boolean sourceBlocked(String source) {
        Instant windowOpen = clock.instant().minusSeconds(settings.longValue(Setting.LOGIN_SOURCE_FAILURE_WINDOW));
        // DATETIME keeps whole seconds, and the bound is cut to them too: a window ends when its start
        // second is reached, so it may end up to a second early, never late.
        long failures = jdbc.queryOne("SELECT failures FROM login_failure WHERE source = ? AND window_start > ?",
                rs -> rs.getLong(1), key(source), windowOpen).orElse(0L);
        return failures >= settings.longValue(Setting.LOGIN_SOURCE_FAILURES_ALLOWED);
    }

    /** A failed login from {@code source}; {@code userId} when the name was a real, enabled user. */
    public void failed(String source, Long userId) {
        Instant now = clock.instant();
        Instant windowOpen = now.minusSeconds(settings.longValue(Setting.LOGIN_SOURCE_FAILURE_WINDOW));
        jdbc.update("DELETE FROM login_failure WHERE window_start <= ?", windowOpen);
        // A window that has passed starts again at 1; failures is assigned before window_start changes.
        jdbc.update("INSERT INTO login_failure (source, failures, window_start) VALUES (?, 1, ?)"
                + " ON DUPLICATE KEY UPDATE failures = IF(window_start <= ?, 1, failures + 1),"
                + " window_start = IF(window_start <= ?, ?, window_start)", key(source), now, windowOpen, windowOpen, now);
        if (userId == null) {
            return;
        }
        jdbc.update("UPDATE user SET incorrect_login_attempts = incorrect_login_attempts + 1 WHERE id = ?", userId);
        long attempts = jdbc.queryLong("SELECT incorrect_login_attempts FROM user WHERE id = ?", userId);
        long allowed = settings.longValue(Setting.INCORRECT_LOGIN_ATTEMPTS_ALLOWED);
        if (attempts >= allowed && jdbc.update("UPDATE user SET state = 'disabled' WHERE id = ? AND state = 'enabled'",
                userId) > 0) {
            sessions.endSessionsOf(userId);
            LOG.warn("User {} is disabled after {} failed logins in a row (incorrect.login.attempts.allowed = {});"
                    + " enableUser lets it log in again", userId, attempts, allowed);
        }
    }

    /** A successful login: the user's failures in a row start again from 0. */
    public void succeeded(long userId) {
        jdbc.update("UPDATE user SET incorrect_login_attempts = 0 WHERE id = ? AND incorrect_login_attempts > 0", userId);
    }

    private static String key(String source) {
        return source.length() > MAX_SOURCE_LENGTH ? source.substring(0, MAX_SOURCE_LENGTH) : source;
    }
}
