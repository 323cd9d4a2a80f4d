package io.rbdstack.server.api;

/**
 * Strings as XML 1.0 can carry them, so that response=xml is well-formed whatever a value holds.
 * XML 1.0 allows tab, LF, CR, U+0020..U+D7FF, U+E000..U+FFFD and paired surrogates (U+10000 and
 * up); anything else cannot appear in a document at all, not even as a character reference.
 */
final class XmlText {

    /** Stands for each character XML cannot carry, as decoders do for bytes they cannot read. */
    static final char REPLACEMENT = '\uFFFD';

    private XmlText() {
    }

    /** {@code text} with each character XML 1.0 cannot carry replaced by U+FFFD. */
    static String sanitize(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean allowed = isAllowed(c);
            if (!allowed && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(allowed ? c : REPLACEMENT);
            }
        }
        return out == null ? text : out.toString();
    }

    /** A single UTF-16 unit XML 1.0 allows on its own (surrogates only come in pairs). */
    private static boolean isAllowed(char c) {
        return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
    }

    /**
     * An element name for a JSON key: keys are ours and already valid (lower-case words), but a map
     * a user filled could bring any key, so characters a name cannot hold become {@code _}.
     */
    static String elementName(String key) {
        StringBuilder name = new StringBuilder(key.length() + 1);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            boolean inner = letter || (c >= '0' && c <= '9') || c == '-' || c == '.';
            if (i == 0 && !letter) {
                name.append('_');
                if (inner) {
                    name.append(c);
                }
            } else {
                name.append(inner ? c : '_');
            }
        }
        return name.length() == 0 ? "_" : name.toString();
    }
}
