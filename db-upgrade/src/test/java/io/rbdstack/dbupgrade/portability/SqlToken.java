package io.rbdstack.dbupgrade.portability;

import java.util.Locale;

/** A token of SQL whose string literals and comments have been blanked. Words keep their case. */
record SqlToken(Kind kind, String text, int offset) {

    enum Kind {
        WORD, NUMBER, STRING, PARAM, UNKNOWN, OPEN, CLOSE, COMMA, SYMBOL
    }

    boolean is(Kind k) {
        return kind == k;
    }

    boolean isWord(String word) {
        return kind == Kind.WORD && text.equalsIgnoreCase(word);
    }

    boolean isSymbol(String symbol) {
        return kind == Kind.SYMBOL && text.equals(symbol);
    }

    String lower() {
        return text.toLowerCase(Locale.ROOT);
    }
}
