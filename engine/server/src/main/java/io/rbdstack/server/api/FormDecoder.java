package io.rbdstack.server.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Map;

/**
 * Decodes {@code application/x-www-form-urlencoded} text, a query string or a POSTed form, strictly:
 * a bad %-escape or bytes that are not valid in the charset refuse the request with 430 rather than
 * guessing what the caller meant (a signature is checked over the decoded values, and a guessed value
 * would be stored as if the caller had sent it).
 */
final class FormDecoder {

    static final String FORM_TYPE = "application/x-www-form-urlencoded";
    /** What Jetty puts in a URL for bytes that are not UTF-8. */
    private static final char JETTY_UNDECODABLE = '\uFFFD';
    /** A byte that never occurs in UTF-8. */
    private static final int NOT_UTF8 = 0xFF;
    /** How much of an undecodable parameter name an error text repeats. */
    private static final int NAME_IN_ERROR = 64;

    private FormDecoder() {
    }

    /**
     * Adds the parameters of {@code raw} to {@code into}; a name repeated with another value, in the
     * query or the form, is refused (431), as the binder refuses two spellings of one name.
     */
    static void decode(byte[] raw, Charset charset, Map<String, String> into) {
        int start = 0;
        while (start <= raw.length) {
            int end = indexOf(raw, (byte) '&', start, raw.length);
            if (end > start) {
                int eq = indexOf(raw, (byte) '=', start, end);
                String name = decodePart(raw, start, eq, charset, null);
                String value = eq == end ? "" : decodePart(raw, eq + 1, end, charset, name);
                if (!name.isEmpty()) {
                    String earlier = into.putIfAbsent(name, value);
                    if (earlier != null && !earlier.equals(value)) {
                        // Which one a client meant cannot be known; CloudStack's servlet silently takes one.
                        throw ApiException.invalidParameter("Parameter " + printable(name)
                                + " is given more than once with different values");
                    }
                }
            }
            start = end + 1;
        }
    }

    /**
     * A query string's parameters: always UTF-8, as CloudStack reads URLs. Jetty has already decoded
     * the raw request line as UTF-8, putting U+FFFD where bytes were not; each becomes an invalid
     * byte again, so that the query is refused naming the parameter, as a %-escaped one would be.
     */
    static void decodeQuery(String query, Map<String, String> into) {
        if (query == null) {
            return;
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream(query.length());
        int start = 0;
        for (int bad = query.indexOf(JETTY_UNDECODABLE); bad >= 0; bad = query.indexOf(JETTY_UNDECODABLE, start)) {
            raw.writeBytes(query.substring(start, bad).getBytes(StandardCharsets.UTF_8));
            raw.write(NOT_UTF8);
            start = bad + 1;
        }
        raw.writeBytes(query.substring(start).getBytes(StandardCharsets.UTF_8));
        decode(raw.toByteArray(), StandardCharsets.UTF_8, into);
    }

    /** Whether a body of this content type holds parameters; other bodies are ignored, as by a servlet. */
    static boolean isForm(String contentType) {
        return contentType != null && contentType.split(";")[0].trim().equalsIgnoreCase(FORM_TYPE);
    }

    /** A form's charset: UTF-8 unless the content type names another; one Java does not know is a 430. */
    static Charset formCharset(String contentType) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = parameter.substring(8).trim().replace("\"", "");
                try {
                    Charset charset = Charset.forName(name);
                    // The form is split on the bytes of '&' and '=': only charsets that keep ASCII as it is work.
                    if (!"&=%+".equals(new String("&=%+".getBytes(charset), StandardCharsets.US_ASCII))) {
                        throw new UnsupportedCharsetException(name);
                    }
                    return charset;
                } catch (IllegalCharsetNameException | UnsupportedCharsetException | UnsupportedOperationException e) {
                    throw ApiException.malformed("Unsupported charset '" + printable(name)
                            + "' in the Content-Type of the request; send UTF-8");
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /**
     * Whether the caller asked for JSON, read from requests that may not decode: the value of the
     * first {@code response} parameter whose raw bytes say {@code json} in any case. XML, CloudStack's
     * default, otherwise.
     */
    static ResponseFormat requestedFormat(String query, byte[] form) {
        boolean json = false;
        for (byte[] raw : new byte[][] {query == null ? null : query.getBytes(StandardCharsets.UTF_8), form}) {
            if (raw == null) {
                continue;
            }
            for (String pair : new String(raw, StandardCharsets.ISO_8859_1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase("response")) {
                    json = pair.substring(eq + 1).equalsIgnoreCase("json");
                }
            }
        }
        return json ? ResponseFormat.JSON : ResponseFormat.XML;
    }

    /** Decodes raw[start, end): {@code +} is a space, {@code %XY} a byte; the bytes must be valid in the charset. */
    private static String decodePart(byte[] raw, int start, int end, Charset charset, String parameter) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
        for (int i = start; i < end; i++) {
            byte b = raw[i];
            if (b == '+') {
                bytes.write(' ');
            } else if (b == '%') {
                int high = i + 2 < end ? Character.digit(raw[i + 1], 16) : -1;
                int low = i + 2 < end ? Character.digit(raw[i + 2], 16) : -1;
                if (high < 0 || low < 0) {
                    throw undecodable(raw, start, end, parameter, "a % that is not followed by two hex digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(b);
            }
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw undecodable(raw, start, end, parameter, "bytes that are not valid " + charset.name());
        }
    }

    /** Names the parameter (decoded if its name decoded, else as much of it as is printable) and the problem. */
    private static ApiException undecodable(byte[] raw, int start, int end, String parameter, String problem) {
        String name = parameter != null ? parameter
                : new String(raw, start, Math.min(end - start, NAME_IN_ERROR), StandardCharsets.ISO_8859_1);
        return ApiException.malformed("Unable to decode parameter " + printable(name) + ": it holds " + problem);
    }

    /** Printable ASCII only, shortened: an error text repeats what the caller sent, not arbitrary bytes. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < NAME_IN_ERROR; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return out.toString();
    }

    private static int indexOf(byte[] raw, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == wanted) {
                return i;
            }
        }
        return to;
    }
}
