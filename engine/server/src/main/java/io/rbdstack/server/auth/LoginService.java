package io.rbdstack.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.ApiReply;
import io.rbdstack.server.api.ApiRequest;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.ResponseFormat;
import io.rbdstack.server.auth.crypto.PasswordHasher;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.event.ActionEvents;
import io.rbdstack.server.event.EventLevel;
import io.rbdstack.server.event.EventResource;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudStack's {@code login} (POST only) and {@code logout}. Each records CloudStack's USER.LOGIN or
 * USER.LOGOUT event for the user; a wrong password for an existing user records USER.LOGIN at ERROR in
 * that user's account (rbdstack's addition: CloudStack records none), so the account's owner sees the
 * attempt. An unknown name has no account to record it in and is only logged. No event holds a password.
 */
public final class LoginService {

    private static final Logger LOG = LoggerFactory.getLogger(LoginService.class);
    private static final String LOGIN = "USER.LOGIN";
    private static final String FAILED = "Failed to authenticate user %s in domain %s; please provide valid credentials";

    private final UserRepository users;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final ActionEvents events;
    /** Checked against when no user has the name, so an unknown name costs what a wrong password does. */
    private volatile String decoyHash;

    public LoginService(UserRepository users, SessionStore sessions, PasswordHasher hasher, LoginThrottle throttle,
                        ActionEvents events) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.throttle = throttle;
        this.events = events;
    }

    public ApiReply login(ApiRequest request, Map<String, String> params, ResponseFormat format) {
        if (!request.httpMethod().equals("POST")) {
            throw new ApiException(ApiErrorCode.METHOD_NOT_ALLOWED, ApiException.CS_SERVER_API,
                    "Please use HTTP POST to authenticate using this API");
        }
        String username = Optional.ofNullable(params.get("username")).orElse("");
        String password = Optional.ofNullable(params.get("password")).orElse("");
        String domainPath = domainPath(params);
        if (username.isEmpty() || password.isEmpty()) {
            throw ApiException.unauthorized(String.format(FAILED, username, domainPath));
        }
        String source = request.remoteAddress();
        if (throttle.sourceBlocked(source)) {
            LOG.warn("Login for user {} from {} refused: too many failed logins from that address", username, source);
            throw ApiException.unauthorized(String.format(FAILED, username, domainPath));
        }
        Optional<UserRepository.LoginCandidate> found = users.findForLogin(username, domainPath);
        // The same work whether or not the user exists: an unknown name is checked against a decoy hash.
        boolean matches = hasher.matches(password.toCharArray(), found.map(UserRepository.LoginCandidate::passwordHash)
                .orElseGet(this::decoyHash));
        if (found.isEmpty() || !matches) {
            throttle.failed(source, found.map(c -> c.caller().userId()).orElse(null));
            LOG.info("Failed login for user {} in domain {} from {}", username, domainPath, source);
            found.ifPresent(known -> userEvent(known.caller(), LOGIN, EventLevel.ERROR,
                    "user failed to log in from IP Address " + source));
            throw ApiException.unauthorized(String.format(FAILED, username, domainPath));
        }
        UserRepository.LoginCandidate candidate = found.get();
        throttle.succeeded(candidate.caller().userId());
        Caller caller = candidate.caller();
        SessionStore.NewSession session = sessions.create(caller.userId());
        LOG.info("User {} logged in from {}", username, request.remoteAddress());
        userEvent(caller, LOGIN, EventLevel.INFO, "user has logged in from IP Address " + source);
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("timeout", String.valueOf(sessions.timeout().toSeconds()));
        body.put("sessionkey", session.sessionKey());
        body.put("userid", caller.userUuid());
        body.put("username", caller.username());
        body.put("account", caller.accountName());
        body.put("domainid", caller.domainUuid());
        body.put("type", String.valueOf(caller.accountType()));
        body.put("registered", "false");
        return new ApiReply(200, format, format.render("loginresponse", body),
                Optional.of(new ApiReply.SessionCookies(session.id(), session.sessionKey())));
    }

    public ApiReply logout(ApiRequest request, ResponseFormat format) {
        request.sessionCookie().ifPresent(cookie -> {
            // Only a live session is a user logging out; a stale or made-up cookie records nothing.
            Optional<Caller> user = sessions.touch(cookie).flatMap(s -> users.findActiveCaller(s.userId()));
            sessions.invalidate(cookie);
            user.ifPresent(u -> userEvent(u, "USER.LOGOUT", EventLevel.INFO, "user has logged out"));
        });
        ObjectNode body = ApiJson.MAPPER.createObjectNode();
        body.put("description", "success");
        return new ApiReply(200, format, format.render("logoutresponse", body),
                Optional.of(new ApiReply.SessionCookies(null, null)));
    }

    private void userEvent(Caller user, String type, EventLevel level, String description) {
        events.happened(user, type, level, description, new EventResource("User", user.userUuid()));
    }

    private String decoyHash() {
        if (decoyHash == null) {
            decoyHash = hasher.hash(SecretCipher.newToken().toCharArray());
        }
        return decoyHash;
    }

    /** {@code domain} is a path such as ROOT or ROOT/sub (or /sub); {@code domainid} wins when given. */
    private String domainPath(Map<String, String> params) {
        String domainId = params.get("domainid");
        if (domainId != null && !domainId.isEmpty()) {
            return users.domainPathByUuid(domainId).orElse("(unknown domain " + domainId + ")");
        }
        String domain = Optional.ofNullable(params.get("domain")).orElse("").trim();
        if (domain.isEmpty() || domain.equals("/") || domain.equalsIgnoreCase("ROOT")) {
            return "/";
        }
        String path = domain.startsWith("ROOT/") ? domain.substring(4) : domain;
        path = path.startsWith("/") ? path : "/" + path;
        return path.endsWith("/") ? path : path + "/";
    }
}
