package io.rbdstack.server.auth.crypto;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CloudStack's API-key request signature, computed the way CloudStack's server
 * ({@code ApiServer.verifyRequest}) computes it:
 *
 * <ol>
 *   <li>every parameter except {@code signature} (name matched case-insensitively);</li>
 *   <li>sorted by name <em>as sent</em>, with {@link String#compareTo} (case-sensitive:
 *       {@code Name} sorts before {@code apiKey}), not by lower-cased name;</li>
 *   <li>each written {@code name=value}, the value (not the name) encoded as
 *       {@code URLEncoder.encode(v, UTF-8)} with {@code +} then replaced by {@code %20}, so
 *       {@code *} stays, {@code ~} becomes {@code %7E}, a literal {@code +} becomes {@code %2B};</li>
 *   <li>joined with {@code &}, the whole string lower-cased;</li>
 *   <li>HMAC-SHA1 keyed with the secret key's bytes, standard Base64 with padding.</li>
 * </ol>
 *
 * <p>One value per name: the map is what the API layer binds the command from, so the value
 * that was signed is the value that is used. CloudStack's servlet re-reads the query string
 * with last-occurrence-wins, and the caller must collapse repeated parameters the same way
 * before both verifying and binding.
 *
 * <p>Tilde: CloudMonkey (Go {@code url.QueryEscape}), cloudstack-go (Terraform) and the Python
 * {@code cs} library ({@code quote(v, safe="*")}) all leave {@code ~} unescaped, unlike Java's
 * URLEncoder. So {@link #verify} also accepts the signature of the string with {@code ~} left
 * literal. That changes nothing for security, since it is still an HMAC over every
 * parameter, and those clients' requests with a {@code ~} in a value verify here.
 *
 * <p>Because the string is lower-cased, values that differ only in letter case share a
 * signature (CloudStack's protocol, kept for compatibility).
 */
public final class ApiSignature {

    private static final String SIGNATURE = "signature";
    private static final String HMAC_SHA1 = "HmacSHA1";

    private ApiSignature() {
    }

    /** The signature a CloudStack client sends for {@code params}, which exclude {@code signature}. */
    public static String sign(Map<String, String> params, String secretKey) {
        Objects.requireNonNull(secretKey, "secretKey");
        return hmacBase64(canonicalString(params, false), secretKey);
    }

    /**
     * Whether {@code signature} is the one CloudStack would compute for {@code params} with
     * {@code secretKey}, compared in constant time. Any {@code signature} entry in
     * {@code params} is ignored. False (never an exception) for a missing signature or secret,
     * or for no parameters.
     */
    public static boolean verify(Map<String, String> params, String signature, String secretKey) {
        if (signature == null || secretKey == null || secretKey.isEmpty() || params == null) {
            return false;
        }
        String canonical = canonicalString(params, false);
        if (canonical.isEmpty()) {
            return false;
        }
        byte[] given = signature.getBytes(StandardCharsets.UTF_8);
        if (equal(hmacBase64(canonical, secretKey), given)) {
            return true;
        }
        // Clients that follow RFC 3986 leave ~ unescaped (see the class comment).
        return hasTildeValue(params) && equal(hmacBase64(canonicalString(params, true), secretKey), given);
    }

    /** The lower-cased string that is HMAC'd; for tests and debugging (it contains the api key). */
    static String canonicalString(Map<String, String> params, boolean keepTilde) {
        Objects.requireNonNull(params, "params");
        List<String> names = new ArrayList<>(params.size());
        for (String name : params.keySet()) {
            if (!SIGNATURE.equalsIgnoreCase(Objects.requireNonNull(name, "parameter name"))) {
                names.add(name);
            }
        }
        names.sort(null); // String natural order, as Collections.sort in CloudStack
        StringBuilder sb = new StringBuilder();
        for (String name : names) {
            String value = Objects.requireNonNull(params.get(name), () -> "value of parameter " + name);
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(name).append('=').append(encode(value, keepTilde));
        }
        // Locale.ROOT: CloudStack uses the default locale, which is wrong under e.g. a Turkish one.
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private static String encode(String value, boolean keepTilde) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        return keepTilde ? encoded.replace("%7E", "~") : encoded;
    }

    private static boolean hasTildeValue(Map<String, String> params) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!SIGNATURE.equalsIgnoreCase(e.getKey()) && e.getValue().indexOf('~') >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean equal(String computed, byte[] given) {
        return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), given);
    }

    private static String hmacBase64(String canonical, String secretKey) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), HMAC_SHA1));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JDK", e);
        }
    }
}
