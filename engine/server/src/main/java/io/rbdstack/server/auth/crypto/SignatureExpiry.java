package io.rbdstack.server.auth.crypto;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import io.rbdstack.server.auth.crypto.SignatureExpiryException.Reason;

/**
 * The {@code signatureVersion=3} / {@code expires} check of CloudStack's
 * {@code ApiServer.verifyRequest}: when {@code signatureVersion} is exactly {@code 3},
 * {@code expires} must be present, parse as an ISO-8601 date-time with an offset, and not be
 * before now; a request is still valid at the very instant it expires. Without
 * {@code signatureVersion=3}, {@code expires} is ignored, as in CloudStack. Both names are
 * matched case-insensitively, like CloudStack does.
 *
 * <p>Accepted forms, as CloudStack's {@code DateUtil.parseTZDateString} accepts them:
 * {@code 2011-10-10T12:00:00+0530}, {@code 2011-10-10T12:00:00+05:30},
 * {@code 2011-10-10T12:00:00Z}, {@code +05} offsets, optional fractional seconds, and the
 * legacy {@code 2011-10-10T12:00:00Z+0530}. A date-time without an offset is refused.
 */
public final class SignatureExpiry {

    private static final String BASE = "uuuu-MM-dd'T'HH:mm:ss";

    private static final List<DateTimeFormatter> FORMATS = List.of(
            DateTimeFormatter.ISO_OFFSET_DATE_TIME,                                     // Z, +05:30, +05
            strict(withFraction().appendOffset("+HHmm", "Z")),                          // +0530, +05, Z
            strict(withFraction().appendLiteral('Z').appendOffset("+HHMM", "+0000"))); // legacy Z+0530

    private SignatureExpiry() {
    }

    /**
     * Checks {@code params} (the request's, signature included or not) at {@code clock}'s now.
     *
     * @return the expiry when the request uses {@code signatureVersion=3}, else empty
     */
    public static Optional<Instant> check(Map<String, String> params, Clock clock) throws SignatureExpiryException {
        return check(params, clock, null);
    }

    /**
     * As {@link #check(Map, Clock)}, also refusing an {@code expires} more than {@code maxAhead}
     * after now when {@code maxAhead} is not null (CloudStack's
     * {@code enforce.post.requests.and.timestamps} uses 15 minutes).
     */
    public static Optional<Instant> check(Map<String, String> params, Clock clock, Duration maxAhead)
            throws SignatureExpiryException {
        Objects.requireNonNull(clock, "clock");
        // Sorted, last match wins: the same pick CloudStack makes among case variants.
        String version = null;
        String expires = null;
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if ("signatureVersion".equalsIgnoreCase(e.getKey())) {
                version = e.getValue();
            } else if ("expires".equalsIgnoreCase(e.getKey())) {
                expires = e.getValue();
            }
        }
        if (!"3".equals(version)) {
            return Optional.empty();
        }
        if (expires == null) {
            throw new SignatureExpiryException(Reason.MISSING, "signatureVersion=3 requires the expires parameter");
        }
        Instant expiry = parse(expires);
        Instant now = clock.instant();
        if (expiry.isBefore(now)) {
            throw new SignatureExpiryException(Reason.EXPIRED,
                    "the request expired at " + expiry + " (server time " + now + ")");
        }
        if (maxAhead != null && expiry.isAfter(now.plus(maxAhead))) {
            throw new SignatureExpiryException(Reason.TOO_FAR_AHEAD,
                    "expires may be at most " + describe(maxAhead) + " ahead (server time " + now + ")");
        }
        return Optional.of(expiry);
    }

    /** Parses an {@code expires} value in any accepted form. */
    public static Instant parse(String expires) throws SignatureExpiryException {
        if (expires != null) {
            String s = expires.trim();
            for (DateTimeFormatter format : FORMATS) {
                try {
                    return OffsetDateTime.parse(s, format).toInstant();
                } catch (DateTimeParseException tryNext) {
                    // next form
                }
            }
        }
        throw new SignatureExpiryException(Reason.UNPARSEABLE, "expires must be an ISO-8601 date-time with an offset,"
                + " such as 2011-10-10T12:00:00+0530 or 2011-10-10T12:00:00Z");
    }

    private static String describe(Duration d) {
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " minutes" : d.toSeconds() + " seconds";
    }

    private static DateTimeFormatter strict(DateTimeFormatterBuilder builder) {
        return builder.toFormatter().withResolverStyle(ResolverStyle.STRICT); // no 2011-02-31 rounding
    }

    private static DateTimeFormatterBuilder withFraction() {
        return new DateTimeFormatterBuilder().appendPattern(BASE)
                .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd();
    }
}
