package io.rbdstack.server.auth.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.rbdstack.server.auth.crypto.SignatureExpiryException.Reason;

class SignatureExpiryTest {

    /** 2011-10-10T12:00:00+05:30. */
    private static final Instant EXPIRY = Instant.parse("2011-10-10T06:30:00Z");

    private static Clock at(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    private static Map<String, String> v3(String expires) {
        Map<String, String> p = new HashMap<>();
        p.put("command", "listZones");
        p.put("signatureVersion", "3");
        if (expires != null) {
            p.put("expires", expires);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2011-10-10T12:00:00+0530",      // CloudStack's documented form
        "2011-10-10T12:00:00+05:30",     // ISO-8601 extended offset
        "2011-10-10T06:30:00Z",          // UTC designator (cloudstack-go)
        "2011-10-10T06:30:00+0000",      // Python cs: strftime("%Y-%m-%dT%H:%M:%S%z") in UTC
        "2011-10-10T06:30:00+00:00",
        "2011-10-10T06:30:00-0000",
        "2011-10-10T01:30:00-05",        // hours-only offset
        "2011-10-10T06:30:00.000Z",      // fractional seconds
        "2011-10-10T12:00:00.000000+0530",
        "2011-10-10T12:00:00Z+0530",     // CloudStack's legacy 'Z'Z pattern
        " 2011-10-10T06:30:00Z ",
    })
    void everyAcceptedFormParsesToTheSameInstant(String expires) throws Exception {
        assertEquals(EXPIRY, SignatureExpiry.parse(expires));
        assertEquals(Optional.of(EXPIRY), SignatureExpiry.check(v3(expires), at(EXPIRY)));
    }

    @Test
    void fractionIsKept() throws Exception {
        assertEquals(EXPIRY.plusMillis(123), SignatureExpiry.parse("2011-10-10T12:00:00.123+0530"));
        assertEquals(EXPIRY.plusNanos(123456), SignatureExpiry.parse("2011-10-10T06:30:00.000123456Z"));
    }

    @Test
    void validUpToAndIncludingTheExpiryInstant() throws Exception {
        String expires = "2011-10-10T12:00:00+0530";
        assertEquals(Optional.of(EXPIRY), SignatureExpiry.check(v3(expires), at(EXPIRY.minusSeconds(1))));
        assertEquals(Optional.of(EXPIRY), SignatureExpiry.check(v3(expires), at(EXPIRY)));

        SignatureExpiryException oneSecondLate = assertThrows(SignatureExpiryException.class,
                () -> SignatureExpiry.check(v3(expires), at(EXPIRY.plusSeconds(1))));
        assertEquals(Reason.EXPIRED, oneSecondLate.reason());
        assertEquals("the request expired at 2011-10-10T06:30:00Z (server time 2011-10-10T06:30:01Z)",
                oneSecondLate.getMessage());

        SignatureExpiryException oneMilliLate = assertThrows(SignatureExpiryException.class,
                () -> SignatureExpiry.check(v3(expires), at(EXPIRY.plusMillis(1))));
        assertEquals(Reason.EXPIRED, oneMilliLate.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2011-10-10T12:00:00+0530", "2011-10-10T12:00:00+05:30", "2011-10-10T06:30:00Z",
        "2011-10-10T12:00:00Z+0530"})
    void eachFormExpiresOneSecondAfterItsInstant(String expires) throws Exception {
        assertTrue(SignatureExpiry.check(v3(expires), at(EXPIRY.minusSeconds(1))).isPresent());
        assertTrue(SignatureExpiry.check(v3(expires), at(EXPIRY)).isPresent());
        assertEquals(Reason.EXPIRED, assertThrows(SignatureExpiryException.class,
                () -> SignatureExpiry.check(v3(expires), at(EXPIRY.plusSeconds(1)))).reason());
    }

    @Test
    void missingExpires() {
        SignatureExpiryException e = assertThrows(SignatureExpiryException.class,
                () -> SignatureExpiry.check(v3(null), at(EXPIRY)));
        assertEquals(Reason.MISSING, e.reason());
        assertEquals("signatureVersion=3 requires the expires parameter", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "tomorrow", "1318228200",
        "2011-10-10T12:00:00",           // no offset: ambiguous, CloudStack refuses it too
        "2011-10-10 12:00:00+0530",      // space instead of T
        "2011-10-10T12:00+0530",         // no seconds
        "2011-02-30T12:00:00Z",          // no such day
        "2011-10-10T24:00:00Z",
        "2011-10-10T12:00:00+2500",
        "2011-10-10T12:00:00 0530",      // an unencoded '+' that the query decoding turned into a space
        "<script>alert(1)</script>",
    })
    void unparseable(String expires) {
        SignatureExpiryException e = assertThrows(SignatureExpiryException.class,
                () -> SignatureExpiry.check(v3(expires), at(EXPIRY)));
        assertEquals(Reason.UNPARSEABLE, e.reason());
        // One fixed message: the value is never echoed.
        assertEquals("expires must be an ISO-8601 date-time with an offset,"
                + " such as 2011-10-10T12:00:00+0530 or 2011-10-10T12:00:00Z", e.getMessage());
    }

    @Test
    void nullIsUnparseable() {
        assertEquals(Reason.UNPARSEABLE,
                assertThrows(SignatureExpiryException.class, () -> SignatureExpiry.parse(null)).reason());
    }

    @Test
    void withoutSignatureVersionThreeExpiresIsIgnored() throws Exception {
        assertEquals(Optional.empty(), SignatureExpiry.check(Map.of("command", "listZones"), at(EXPIRY)));
        assertEquals(Optional.empty(), SignatureExpiry.check(
                Map.of("command", "listZones", "expires", "garbage"), at(EXPIRY)));
        assertEquals(Optional.empty(), SignatureExpiry.check(
                Map.of("signatureVersion", "2", "expires", "2000-01-01T00:00:00Z"), at(EXPIRY)));
        assertEquals(Optional.empty(), SignatureExpiry.check(
                Map.of("signatureVersion", " 3", "expires", "2000-01-01T00:00:00Z"), at(EXPIRY)));
    }

    @Test
    void parameterNamesMatchCaseInsensitively() throws Exception {
        Map<String, String> p = Map.of("SignatureVersion", "3", "EXPIRES", "2011-10-10T06:30:00Z");
        assertEquals(Optional.of(EXPIRY), SignatureExpiry.check(p, at(EXPIRY)));
        assertEquals(Reason.EXPIRED, assertThrows(SignatureExpiryException.class,
                () -> SignatureExpiry.check(p, at(EXPIRY.plusSeconds(1)))).reason());
        assertEquals(Reason.MISSING, assertThrows(SignatureExpiryException.class,
                () -> SignatureExpiry.check(Map.of("signatureversion", "3"), at(EXPIRY))).reason());
    }

    @Test
    void optionalLimitOnHowFarAhead() throws Exception {
        Duration fifteen = Duration.ofMinutes(15);
        Instant now = EXPIRY.minus(fifteen);
        assertEquals(Optional.of(EXPIRY), SignatureExpiry.check(v3("2011-10-10T06:30:00Z"), at(now), fifteen));
        SignatureExpiryException e = assertThrows(SignatureExpiryException.class,
                () -> SignatureExpiry.check(v3("2011-10-10T06:30:01Z"), at(now), fifteen));
        assertEquals(Reason.TOO_FAR_AHEAD, e.reason());
        assertTrue(e.getMessage().startsWith("expires may be at most 15 minutes ahead"), e.getMessage());
        // Without a limit (CloudStack's default), a far expiry is fine.
        assertTrue(SignatureExpiry.check(v3("2031-10-10T06:30:00Z"), at(now)).isPresent());
    }
}
