package io.rbdstack.server.api;

import java.util.Map;
import java.util.Optional;

/**
 * One HTTP call to /client/api, independent of the HTTP server: the method, the parameters with
 * their names as sent (signatures are computed over those) and the session cookie if any.
 */
public record ApiRequest(String httpMethod, Map<String, String> params, Optional<String> sessionCookie,
                         String remoteAddress) {
}
