package io.rbdstack.dbupgrade.portability;

import io.rbdstack.dbupgrade.portability.SqlToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Just enough SQL lexing for the portability rules: string literal contents and comments are blanked
 * (same length, line breaks kept) so that words inside them never match a rule.
 */
final class SqlTokenizer {

    /** Stands for a Java expression glued between SQL literals; its value is unknown. */
    static final String UNKNOWN = "\u00abexpr\u00bb";

    private SqlTokenizer() {
    }

    /** {@code sql} with the contents of '…' and "…" literals and of comments replaced by spaces. */
    static String mask(String sql) {
        StringBuilder out = new StringBuilder(sql);
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                i = blankQuoted(sql, out, i, c);
            } else if (c == '`') {
                int end = sql.indexOf('`', i + 1);
                i = end < 0 ? sql.length() : end + 1;
            } else if (c == '#' || (c == '-' && sql.startsWith("--", i) && (i + 2 >= sql.length()
                    || Character.isWhitespace(sql.charAt(i + 2))))) {
                int end = sql.indexOf('\n', i);
                i = blank(out, i, end < 0 ? sql.length() : end);
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = blank(out, i, end < 0 ? sql.length() : end + 2);
            } else {
                i++;
            }
        }
        return out.toString();
    }

    private static int blankQuoted(String sql, StringBuilder out, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && i + 1 < sql.length()) {
                blank(out, i, i + 2);
                i += 2;
            } else if (c == quote && i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                blank(out, i, i + 2);
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                blank(out, i, i + 1);
                i++;
            }
        }
        return i;
    }

    private static int blank(StringBuilder out, int from, int to) {
        for (int i = from; i < to; i++) {
            if (out.charAt(i) != '\n') {
                out.setCharAt(i, ' ');
            }
        }
        return to;
    }

    /** Tokens of already masked SQL. */
    static List<SqlToken> tokenize(String masked) {
        List<SqlToken> tokens = new ArrayList<>();
        int i = 0;
        int n = masked.length();
        while (i < n) {
            char c = masked.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (masked.startsWith(UNKNOWN, i)) {
                i += UNKNOWN.length();
                tokens.add(new SqlToken(Kind.UNKNOWN, UNKNOWN, start));
            } else if (c == '%' && formatSpecifierEnd(masked, i) > i) {   // String.format placeholders
                i = formatSpecifierEnd(masked, i);
                tokens.add(new SqlToken(Kind.UNKNOWN, masked.substring(start, i), start));
            } else if (c == '\'' || c == '"') {
                int end = masked.indexOf(c, i + 1);
                i = end < 0 ? n : end + 1;
                tokens.add(new SqlToken(Kind.STRING, "''", start));
            } else if (c == '`' || isWordStart(c)) {
                i = wordEnd(masked, i);
                while (i + 1 < n && masked.charAt(i) == '.' && (masked.charAt(i + 1) == '`'
                        || masked.charAt(i + 1) == '*' || isWordStart(masked.charAt(i + 1)))) {
                    i = masked.charAt(i + 1) == '*' ? i + 2 : wordEnd(masked, i + 1);
                }
                tokens.add(new SqlToken(Kind.WORD, masked.substring(start, i).replace("`", ""), start));
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(masked.charAt(i)) || masked.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new SqlToken(Kind.NUMBER, masked.substring(start, i), start));
            } else if (c == '?' || (c == ':' && i + 1 < n && isWordStart(masked.charAt(i + 1)))) {
                i = c == '?' ? i + 1 : wordEnd(masked, i + 1);
                tokens.add(new SqlToken(Kind.PARAM, masked.substring(start, i), start));
            } else {
                i++;
                Kind kind = c == '(' ? Kind.OPEN : c == ')' ? Kind.CLOSE : c == ',' ? Kind.COMMA : Kind.SYMBOL;
                tokens.add(new SqlToken(kind, String.valueOf(c), start));
            }
        }
        return tokens;
    }

    private static boolean isWordStart(char c) {
        return Character.isLetter(c) || c == '_' || c == '$';
    }

    private static int wordEnd(String s, int i) {
        if (s.charAt(i) == '`') {
            int end = s.indexOf('`', i + 1);
            return end < 0 ? s.length() : end + 1;
        }
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
            i++;
        }
        return i;
    }

    /** End of a {@code %s}, {@code %d} or {@code %1$s} at {@code i}, or {@code i} when there is none. */
    private static int formatSpecifierEnd(String s, int i) {
        int j = i + 1;
        while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '$')) {
            j++;
        }
        if (j < s.length() && "sdS".indexOf(s.charAt(j)) >= 0
                && (j + 1 == s.length() || !Character.isLetterOrDigit(s.charAt(j + 1)))) {
            return j + 1;
        }
        return i;
    }
}
