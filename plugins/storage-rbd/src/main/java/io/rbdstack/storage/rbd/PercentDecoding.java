package io.rbdstack.storage.rbd;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of the user, secret and pool parts of an rbd url. This is not
 * {@link java.net.URLDecoder}: that one decodes form data, where '+' means a space. In a base64
 * secret a '+' is a '+'.
 */
final class PercentDecoding {

    private PercentDecoding() {
    }

    /**
     * @param what what the text is ("the secret"), for the error message; the text itself is never quoted
     */
    static String decode(String text, String parameter, String what) throws InvalidRbdDefinitionException {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new InvalidRbdDefinitionException(parameter,
                            what + " has a '%' that is not followed by two hexadecimal digits");
                }
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int codePoint = text.codePointAt(i);
                bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRbdDefinitionException(parameter, what + " is not valid UTF-8 once percent-decoded");
        }
    }
}
