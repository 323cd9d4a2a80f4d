package io.rbdstack.server.api;

import java.util.Optional;

/**
 * What to send back: the HTTP status, the rendered body and, after login or logout, the session
 * cookies to set or clear.
 */
public record ApiReply(int status, ResponseFormat format, String body, Optional<SessionCookies> cookies) {

    /** Cookie values to set; both null means clear them (logout). */
    public record SessionCookies(String sessionId, String sessionKey) {
    }
}
