package io.rbdstack.server.auth.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class ApiSignatureTest {

    /*
     * Known-answer vectors were computed independently with Python 3.11 (hmac, hashlib, base64,
     * urllib.parse.quote), not with this class:
     *
     *   def java_enc(v):   # URLEncoder.encode(v, UTF-8) + '+'->'%20', byte by byte
     *       return ''.join(chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) in '.-*_')
     *                      else '%%%02X' % b for b in v.encode('utf-8'))
     *   server = '&'.join(k + '=' + java_enc(v) for k, v in sorted(p.items())).lower()
     *   cs     = '&'.join('='.join((k, quote(v, safe='*'))) for k, v in sorted(p.items())).lower()  # cs._sign
     *   sig    = base64.b64encode(hmac.new(secret.encode(), s.encode(), hashlib.sha1).digest())
     */

    private static final String SECRET = "Sec-RET_key+/=";

    /** Spaces, *, ~, +, /, =, ':' and non-ASCII in values; mixed-case names and values. */
    private static Map<String, String> richParams() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("command", "deployVirtualMachine");
        p.put("apiKey", "AbC-dEf_123");
        p.put("response", "json");
        p.put("displayName", "My VM *~+/= é");
        p.put("userdata", "a+b/c==");
        p.put("Name", "ÄÖü Mixed CASE");
        p.put("signatureVersion", "3");
        p.put("expires", "2011-10-10T12:00:00+0530");
        return p;
    }

    private static final String RICH_CANONICAL = "name=%c3%84%c3%96%c3%bc%20mixed%20case&apikey=abc-def_123"
            + "&command=deployvirtualmachine&displayname=my%20vm%20*%7e%2b%2f%3d%20%c3%a9"
            + "&expires=2011-10-10t12%3a00%3a00%2b0530&response=json&signatureversion=3&userdata=a%2bb%2fc%3d%3d";
    private static final String RICH_SERVER_SIGNATURE = "3zD2xm6/yv7V4TbKxZ/if9P43fY=";
    /** What the Python cs library / CloudMonkey send for the same request: '~' left literal. */
    private static final String RICH_CS_SIGNATURE = "GmJPhmQN2EEKAeUWKs7GdDyTyTs=";
    /** The same request if names were lower-cased before sorting (NOT CloudStack's rule). */
    private static final String RICH_LOWER_SORTED_SIGNATURE = "TAUoq8WuIYICl5ijzCsmMR6VQ9w=";

    @Test
    void cloudStackDeveloperGuideExample() {
        // The "How to sign an API call with Python" example of CloudStack's developer guide.
        Map<String, String> p = new HashMap<>();
        p.put("command", "listUsers");
        p.put("response", "json");
        p.put("apikey", "plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg");
        String secret = "VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ";

        assertEquals("apikey=plgwjfzk4gys3momtvmjuvg-x-jlwlnfauj9gabbbf9edm-kaymmailqzzq1elzlyq_u38zcm0bewzgudp66mg"
                + "&command=listusers&response=json", ApiSignature.canonicalString(p, false));
        assertEquals("TTpdDq/7j/J58XCRHomKoQXEQds=", ApiSignature.sign(p, secret));
        assertTrue(ApiSignature.verify(p, "TTpdDq/7j/J58XCRHomKoQXEQds=", secret));
    }

    @Test
    void knownAnswerWithSpecialCharactersMatchesTheServerRule() {
        assertEquals(RICH_CANONICAL, ApiSignature.canonicalString(richParams(), false));
        assertEquals(RICH_SERVER_SIGNATURE, ApiSignature.sign(richParams(), SECRET));
        assertTrue(ApiSignature.verify(richParams(), RICH_SERVER_SIGNATURE, SECRET));
    }

    @Test
    void clientsThatLeaveTildeUnescapedStillVerify() {
        assertTrue(ApiSignature.verify(richParams(), RICH_CS_SIGNATURE, SECRET));
        assertEquals(RICH_CANONICAL.replace("%7e", "~"), ApiSignature.canonicalString(richParams(), true));
    }

    @Test
    void namesAreSortedAsSentNotLowerCased() {
        // "Name" (capital N) sorts before "apiKey", as Collections.sort does in CloudStack.
        assertTrue(ApiSignature.canonicalString(richParams(), false).startsWith("name=%c3%84"));
        assertFalse(ApiSignature.verify(richParams(), RICH_LOWER_SORTED_SIGNATURE, SECRET));
    }

    @Test
    void caseOfTheApiKeyNameDoesNotChangeTheSignature() {
        Map<String, String> lower = richParams();
        lower.put("apikey", lower.remove("apiKey"));
        assertEquals(RICH_SERVER_SIGNATURE, ApiSignature.sign(lower, SECRET));
        Map<String, String> upper = richParams();
        upper.put("APIKEY", upper.remove("apiKey")); // 'A' sorts before "Name": another string
        assertNotEquals(RICH_SERVER_SIGNATURE, ApiSignature.sign(upper, SECRET));

        // Where the sort order stays (the usual case), any spelling of apiKey signs the same.
        String guide = "TTpdDq/7j/J58XCRHomKoQXEQds=";
        String secret = "VDaACYb0LV9eNjTetIOElcVQkvJck_J_QljX_FcHRj87ZKiy0z0ty0ZsYBkoXkY9b7eq1EhwJaw7FF3akA3KBQ";
        String key = "plgWJfZK4gyS3mOMTVmjUVg-X-jlWlnfaUJ9GAbBbf9EdM-kAYMmAiLqzzq1ElZLYq_u38zCm0bewzGUdP66mg";
        for (String name : new String[] {"apiKey", "apikey", "APIKEY", "ApiKey"}) {
            Map<String, String> p = Map.of("command", "listUsers", "response", "json", name, key);
            assertEquals(guide, ApiSignature.sign(p, secret), name);
        }
    }

    @Test
    void caseOfValuesDoesNotChangeTheSignature() {
        Map<String, String> p = richParams();
        p.put("command", "DEPLOYVIRTUALMACHINE");
        p.put("apiKey", "abc-def_123");
        assertTrue(ApiSignature.verify(p, RICH_SERVER_SIGNATURE, SECRET));
    }

    @Test
    void valuesAreEncodedLikeJavaUrlEncoderWithPercentTwenty() {
        Map<String, String> p = Map.of("a", "x y*~+/=é&?%", "b", "-._", "c", "");
        assertEquals("a=x%20y*%7e%2b%2f%3d%c3%a9%26%3f%25&b=-._&c=", ApiSignature.canonicalString(p, false));
    }

    @Test
    void namesAreNotEncoded() {
        Map<String, String> p = Map.of("details[0].key", "k", "details[0].value", "v w");
        assertEquals("details[0].key=k&details[0].value=v%20w", ApiSignature.canonicalString(p, false));
    }

    @Test
    void signatureParameterIsIgnoredWhateverItsCase() {
        Map<String, String> p = richParams();
        p.put("signature", "anything");
        p.put("Signature", "else");
        assertEquals(RICH_SERVER_SIGNATURE, ApiSignature.sign(p, SECRET));
        assertTrue(ApiSignature.verify(p, RICH_SERVER_SIGNATURE, SECRET));
    }

    @Test
    void wrongSecretOrChangedRequestFails() {
        assertFalse(ApiSignature.verify(richParams(), RICH_SERVER_SIGNATURE, SECRET + "x"));

        Map<String, String> changed = richParams();
        changed.put("userdata", "a+b/c=");
        assertFalse(ApiSignature.verify(changed, RICH_SERVER_SIGNATURE, SECRET));

        Map<String, String> extra = richParams();
        extra.put("listall", "true");
        assertFalse(ApiSignature.verify(extra, RICH_SERVER_SIGNATURE, SECRET));

        Map<String, String> missing = richParams();
        missing.remove("response");
        assertFalse(ApiSignature.verify(missing, RICH_SERVER_SIGNATURE, SECRET));

    }

    @Test
    void nameCaseMattersOnlyThroughTheSortOrder() {
        Map<String, String> samePlace = richParams();
        samePlace.put("displayname", samePlace.remove("displayName")); // still between command and expires
        assertTrue(ApiSignature.verify(samePlace, RICH_SERVER_SIGNATURE, SECRET));

        Map<String, String> moved = richParams();
        moved.put("name", moved.remove("Name")); // lower-case 'n' now sorts after "expires"
        assertFalse(ApiSignature.verify(moved, RICH_SERVER_SIGNATURE, SECRET));
    }

    @Test
    void signatureComparisonIsExact() {
        assertFalse(ApiSignature.verify(richParams(), RICH_SERVER_SIGNATURE.toLowerCase(Locale.ROOT), SECRET));
        assertFalse(ApiSignature.verify(richParams(), RICH_SERVER_SIGNATURE.substring(0, 27), SECRET));
        assertFalse(ApiSignature.verify(richParams(), RICH_SERVER_SIGNATURE + " ", SECRET));
        assertFalse(ApiSignature.verify(richParams(), "", SECRET));
    }

    @Test
    void missingInputsNeverVerify() {
        assertFalse(ApiSignature.verify(richParams(), null, SECRET));
        assertFalse(ApiSignature.verify(richParams(), RICH_SERVER_SIGNATURE, null));
        assertFalse(ApiSignature.verify(richParams(), RICH_SERVER_SIGNATURE, ""));
        assertFalse(ApiSignature.verify(null, RICH_SERVER_SIGNATURE, SECRET));
        assertFalse(ApiSignature.verify(Map.of(), ApiSignature.sign(Map.of(), SECRET), SECRET));
        assertFalse(ApiSignature.verify(Map.of("signature", "x"), ApiSignature.sign(Map.of(), SECRET), SECRET));
    }

    @Test
    void nullValueIsAProgrammingError() {
        Map<String, String> p = new HashMap<>();
        p.put("command", null);
        assertThrows(NullPointerException.class, () -> ApiSignature.sign(p, SECRET));
    }

    @Test
    void lowerCasingIgnoresTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR")); // where "I".toLowerCase() is a dotless i
            Map<String, String> p = Map.of("command", "LISTZONES", "ID", "I");
            assertEquals("id=i&command=listzones", ApiSignature.canonicalString(p, false));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void signThenVerifyRoundTripsForManyValues() {
        String[] values = {"", " ", "~", "*", "+", "%20", "%7E", "a~b~c", "日本語", "\u00e9\u0301", "emoji 😀", "line\nbreak"};
        for (String v : values) {
            Map<String, String> p = new TreeMap<>(Map.of("command", "listZones", "apiKey", "k", "keyword", v));
            String sig = ApiSignature.sign(p, SECRET);
            assertTrue(ApiSignature.verify(p, sig, SECRET), v);
            assertFalse(ApiSignature.verify(p, sig, "other"), v);
        }
    }

    @Test
    void tildeFallbackDoesNotAcceptAnEncodedTildeForALiteralOne() {
        Map<String, String> tilde = Map.of("command", "listZones", "keyword", "~");
        Map<String, String> encoded = Map.of("command", "listZones", "keyword", "%7E");
        assertNotEquals(ApiSignature.sign(tilde, SECRET), ApiSignature.sign(encoded, SECRET));
        assertFalse(ApiSignature.verify(encoded, ApiSignature.sign(tilde, SECRET), SECRET));
        assertFalse(ApiSignature.verify(tilde, ApiSignature.sign(encoded, SECRET), SECRET));
    }
}
