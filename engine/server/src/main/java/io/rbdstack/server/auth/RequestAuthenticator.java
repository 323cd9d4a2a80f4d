package io.rbdstack.server.auth;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiRequest;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.auth.crypto.ApiSignature;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.auth.crypto.SignatureExpiry;
import io.rbdstack.server.auth.crypto.SignatureExpiryException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the caller of a request: by API key and HMAC-SHA1 signature (with {@code expires} when
 * {@code signatureVersion=3}), or by session cookie plus {@code sessionkey}. Every failure is the
 * same 401 for the client; the log says which check failed, never a key or a signature.
 */
public final class RequestAuthenticator {

    static final String UNAUTHORIZED = "unable to verify user credentials and/or request signature";
    private static final Logger LOG = LoggerFactory.getLogger(RequestAuthenticator.class);

    private final UserRepository users;
    private final SessionStore sessions;
    private final SecretCipher cipher;
    private final Clock clock;

    public RequestAuthenticator(UserRepository users, SessionStore sessions, SecretCipher cipher, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.cipher = cipher;
        this.clock = clock;
    }

    public Caller authenticate(ApiRequest request) {
        Map<String, String> params = request.params();
        Optional<String> apiKey = param(params, "apikey");
        Optional<String> signature = param(params, "signature");
        if (apiKey.isPresent() && signature.isPresent()) {
            return bySignature(params, apiKey.get(), signature.get(), request.remoteAddress());
        }
        if (request.sessionCookie().isPresent()) {
            return bySession(request.sessionCookie().get(), param(params, "sessionkey"), request.remoteAddress());
        }
        throw refused("no API key and signature, and no session", request.remoteAddress());
    }

    private Caller bySignature(Map<String, String> params, String apiKey, String signature, String remote) {
        try {
            SignatureExpiry.check(params, clock);
        } catch (SignatureExpiryException e) {
            throw refused("signatureVersion=3 request refused: " + e.getMessage(), remote);
        }
        UserRepository.ApiKeyOwner owner = users.findByApiKey(apiKey)
                .orElseThrow(() -> refused("unknown API key or disabled user", remote));
        Map<String, String> signed = new LinkedHashMap<>(params);
        signed.keySet().removeIf(k -> k.equalsIgnoreCase("signature"));
        String secretKey = cipher.decrypt(owner.encryptedSecretKey());
        if (!ApiSignature.verify(signed, signature, secretKey)) {
            throw refused("bad signature for user " + owner.caller().username(), remote);
        }
        return owner.caller();
    }

    private Caller bySession(String sessionId, Optional<String> sessionKey, String remote) {
        SessionStore.Session session = sessions.touch(sessionId)
                .orElseThrow(() -> refused("no such session or session expired", remote));
        if (sessionKey.isEmpty() || !session.hasKey(sessionKey.get())) {
            throw refused("session call without the matching sessionkey", remote);
        }
        return users.findActiveCaller(session.userId()).orElseThrow(() -> {
            sessions.endSessionsOf(session.userId());
            return refused("session user no longer active", remote);
        });
    }

    private static ApiException refused(String why, String remote) {
        LOG.info("Refused API call from {}: {}", remote, why);
        return ApiException.unauthorized(UNAUTHORIZED);
    }

    /** Parameter lookup by name regardless of case, as clients spell apiKey/apikey differently. */
    static Optional<String> param(Map<String, String> params, String lowerName) {
        return params.entrySet().stream().filter(e -> e.getKey().toLowerCase(java.util.Locale.ROOT).equals(lowerName))
                .map(Map.Entry::getValue).filter(v -> !v.isEmpty()).findFirst();
    }
}
