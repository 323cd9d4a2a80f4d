package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FormDecoderTest {

    @Test
    void plusIsASpacePercentEscapesAreBytesAndTheBytesAreUtf8() {
        Map<String, String> params = query("a=1+2&b=%C3%A9t%C3%A9&c&=orphan&&d=%2B%26%3D&e=%F0%9F%98%80");
        assertEquals(Map.of("a", "1 2", "b", "\u00E9t\u00E9", "c", "", "d", "+&=", "e", "\uD83D\uDE00"), params);
    }

    @Test
    void aNameInTheQueryAndTheFormWithDifferentValuesIsRefused() {
        Map<String, String> params = query("name=one");
        assertThrows(ApiException.class, () -> FormDecoder.decode("name=two".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, params));
    }

    @Test
    void aBadPercentEscapeIs430NamingTheParameter() {
        for (String raw : new String[] {"name=%zz", "name=%2", "name=abc%", "name=%%41", "name=%-1"}) {
            ApiException e = assertThrows(ApiException.class, () -> query("command=listZones&" + raw), raw);
            assertEquals(ApiErrorCode.MALFORMED_PARAMETER_ERROR, e.errorCode(), raw);
            assertEquals(ApiException.CS_SERVER_API, e.csErrorCode());
            assertEquals("Unable to decode parameter name: it holds a % that is not followed by two hex digits",
                    e.getMessage(), raw);
        }
        ApiException inName = assertThrows(ApiException.class, () -> query("na%zme=1"));
        assertEquals("Unable to decode parameter na%zme: it holds a % that is not followed by two hex digits",
                inName.getMessage());
    }

    @Test
    void bytesThatAreNotUtf8Are430() {
        for (String raw : new String[] {"name=%C3%28", "name=%FF", "name=%ED%A0%80", "name=%C0%AF", "name=%E2%82"}) {
            ApiException e = assertThrows(ApiException.class, () -> query(raw), raw);
            assertEquals(430, e.errorCode().httpCode(), raw);
            assertEquals("Unable to decode parameter name: it holds bytes that are not valid UTF-8", e.getMessage());
        }
        byte[] rawBytes = {'n', '=', (byte) 0xFF, (byte) 0xFE};
        assertThrows(ApiException.class, () -> FormDecoder.decode(rawBytes, StandardCharsets.UTF_8, new LinkedHashMap<>()));
    }

    @Test
    void aRawUrlByteJettyCouldNotDecodeIs430NamingTheParameter() {
        // Jetty decodes the request line as UTF-8 and puts U+FFFD for a byte that is not.
        ApiException e = assertThrows(ApiException.class, () -> query("command=listZones&name=caf\uFFFD"));
        assertEquals("Unable to decode parameter name: it holds bytes that are not valid UTF-8", e.getMessage());
        assertEquals(Map.of("name", "caf\u00E9"), query("name=caf\u00E9"), "raw UTF-8 Jetty decoded is kept");
    }

    @Test
    void anUndecodableNameIsRepeatedOnlyAsPrintableAscii() {
        byte[] raw = {'a', 0x01, (byte) 0xFF, '%', 'Z', '=', '1'};
        ApiException e = assertThrows(ApiException.class,
                () -> FormDecoder.decode(raw, StandardCharsets.UTF_8, new LinkedHashMap<>()));
        assertEquals("Unable to decode parameter a??%Z: it holds a % that is not followed by two hex digits",
                e.getMessage());
    }

    @Test
    void aFormsCharsetComesFromItsContentTypeAndAnUnknownOneIs430() {
        assertTrue(FormDecoder.isForm("Application/X-WWW-Form-Urlencoded ; charset=UTF-8"));
        assertFalse(FormDecoder.isForm("multipart/form-data; boundary=x"));
        assertFalse(FormDecoder.isForm("application/json"));
        assertFalse(FormDecoder.isForm(null));
        assertEquals(StandardCharsets.UTF_8, FormDecoder.formCharset("application/x-www-form-urlencoded"));
        assertEquals(StandardCharsets.ISO_8859_1,
                FormDecoder.formCharset("application/x-www-form-urlencoded; charset=\"iso-8859-1\""));
        for (String unknown : new String[] {"no-such-charset", "@@", ""}) {
            ApiException e = assertThrows(ApiException.class,
                    () -> FormDecoder.formCharset("application/x-www-form-urlencoded; charset=" + unknown), unknown);
            assertEquals(430, e.errorCode().httpCode());
            assertEquals("Unsupported charset '" + unknown + "' in the Content-Type of the request; send UTF-8",
                    e.getMessage());
        }
    }

    @Test
    void aLatin1FormDecodesItsEscapesAsLatin1() {
        Map<String, String> params = new LinkedHashMap<>();
        FormDecoder.decode("name=caf%E9".getBytes(StandardCharsets.US_ASCII), Charset.forName("ISO-8859-1"), params);
        assertEquals("caf\u00E9", params.get("name"));
    }

    @Test
    void theRequestedFormatIsReadEvenFromARequestThatDoesNotDecode() {
        assertEquals(ResponseFormat.JSON, FormDecoder.requestedFormat("name=%zz&response=json", null));
        assertEquals(ResponseFormat.JSON, FormDecoder.requestedFormat("RESPONSE=JSON&x=%FF", null));
        assertEquals(ResponseFormat.JSON, FormDecoder.requestedFormat(null, "a=%&response=json".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ResponseFormat.XML, FormDecoder.requestedFormat("response=json",
                "response=xml".getBytes(StandardCharsets.UTF_8)), "the form comes last and wins");
        assertEquals(ResponseFormat.XML, FormDecoder.requestedFormat("name=%zz", null));
        assertEquals(ResponseFormat.XML, FormDecoder.requestedFormat(null, null));
    }

    private static Map<String, String> query(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        FormDecoder.decodeQuery(query, params);
        return params;
    }

    @Test
    void aNameRepeatedWithAnotherValueIsRefusedAndWithTheSameValueKept() {
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        FormDecoder.decode("name=a&name=a".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8, params);
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Map.of("name", "a"), params);
        ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> FormDecoder.decode(
                "name=zzz&name=z".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.nio.charset.StandardCharsets.UTF_8, new java.util.LinkedHashMap<>()));
        org.junit.jupiter.api.Assertions.assertEquals(431, e.errorCode().httpCode());
        org.junit.jupiter.api.Assertions.assertEquals("Parameter name is given more than once with different values",
                e.getMessage());
    }
}
