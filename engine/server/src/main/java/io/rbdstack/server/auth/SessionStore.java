package io.rbdstack.server.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login sessions: a {@code JSESSIONID} cookie names the session and the {@code sessionkey}
 * parameter proves the caller read the login response (CloudStack's guard against cross-site
 * requests). Sessions expire after being idle for the configured timeout.
 */
public final class SessionStore {

    /** One login. {@code sessionKey} must accompany every call made with the session cookie. */
    public record Session(String id, String sessionKey, long userId, Instant created) {
        @Override
        public String toString() {
            return "Session[user " + userId + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration timeout;
    private final Clock clock;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastAccess = new ConcurrentHashMap<>();

    public SessionStore(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
    }

    public Duration timeout() {
        return timeout;
    }

    public Session create(long userId) {
        Session session = new Session(randomToken(), randomToken(), userId, clock.instant());
        sessions.put(session.id(), session);
        lastAccess.put(session.id(), clock.instant());
        return session;
    }

    /** The live session for a cookie value, refreshing its idle timer; expired ones are dropped. */
    public Optional<Session> touch(String sessionId) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (lastAccess.getOrDefault(sessionId, Instant.EPOCH).plus(timeout).isBefore(now)) {
            invalidate(sessionId);
            return Optional.empty();
        }
        lastAccess.put(sessionId, now);
        return Optional.of(session);
    }

    public void invalidate(String sessionId) {
        sessions.remove(sessionId);
        lastAccess.remove(sessionId);
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
