package io.rbdstack.dbupgrade.portability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The string literals of a Java source file (text blocks included), with operands joined by {@code +}
 * glued together as Java would: adjacent literals, and String constants of the same file (DAO code
 * builds queries from {@code SELECT + FILTER + " ORDER BY …"}). Any other name between two literals
 * becomes {@link SqlTokenizer#UNKNOWN}. Comments and char literals are skipped, so a quote inside them
 * does not start a string.
 */
final class JavaSqlLiterals {

    private static final Pattern CONSTANT = Pattern.compile(
            "\\b(?:static\\s+final|final\\s+static)\\s+String\\s+([A-Za-z_$][\\w$]*)\\s*=\\s*(?=\")");

    private final String source;
    private final int[] lineStarts;
    private final Map<String, SqlSnippet> constants = new HashMap<>();
    private int pos;

    private JavaSqlLiterals(String source) {
        this.source = source;
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every literal or glued group of literals in {@code source}, SQL or not. */
    static List<SqlSnippet> extract(String source) {
        return new JavaSqlLiterals(source).run();
    }

    private List<SqlSnippet> run() {
        Matcher constant = CONSTANT.matcher(source);
        while (constant.find()) {   // in order, so a constant may use the ones defined before it
            pos = constant.end();
            constants.put(constant.group(1), chain());
        }
        List<SqlSnippet> snippets = new ArrayList<>();
        pos = 0;
        while (pos < source.length()) {
            char c = source.charAt(pos);
            if (source.startsWith("//", pos)) {
                pos = lineEnd(pos);
            } else if (source.startsWith("/*", pos)) {
                int end = source.indexOf("*/", pos + 2);
                pos = end < 0 ? source.length() : end + 2;
            } else if (c == '\'') {
                pos = charLiteralEnd(pos);
            } else if (c == '"') {
                snippets.add(chain());
            } else if (Character.isJavaIdentifierStart(c)) {
                int end = nameEnd(pos);
                if (constants.containsKey(source.substring(pos, end)) && isPlus(skipBlank(end))) {
                    snippets.add(chain());
                } else {
                    pos = end;
                }
            } else {
                pos++;
            }
        }
        return snippets;
    }

    /** The operands joined by {@code +} from {@code pos} on; leaves {@code pos} after the last one used. */
    private SqlSnippet chain() {
        StringBuilder sql = new StringBuilder();
        List<int[]> pieces = new ArrayList<>();   // {offset in sql, source line}
        List<Integer> unknownNames = new ArrayList<>();   // glued in only if a literal follows
        int at = pos;
        while (true) {
            if (at < source.length() && source.charAt(at) == '"') {
                flushUnknown(sql, pieces, unknownNames);
                pos = at;
                literal(sql, pieces);
                at = pos;
            } else {
                int end = nameEnd(at);
                if (end == at || (skipBlank(end) < source.length() && source.charAt(skipBlank(end)) == '(')) {
                    break;   // not an operand we understand (a call, a number, …)
                }
                SqlSnippet constant = constants.get(source.substring(at, end));
                if (constant != null) {
                    flushUnknown(sql, pieces, unknownNames);
                    append(sql, pieces, constant);
                    pos = end;
                } else {
                    unknownNames.add(lineOf(at));
                }
                at = end;
            }
            int plus = skipBlank(at);
            if (!isPlus(plus)) {
                break;
            }
            at = skipBlank(plus + 1);
        }
        if (pieces.isEmpty()) {
            pieces.add(new int[] {0, lineOf(pos)});
        }
        return new SqlSnippet(sql.toString(), pieces.stream().mapToInt(p -> p[0]).toArray(),
                pieces.stream().mapToInt(p -> p[1]).toArray());
    }

    private static void flushUnknown(StringBuilder sql, List<int[]> pieces, List<Integer> unknownNames) {
        for (int line : unknownNames) {
            pieces.add(new int[] {sql.length(), line});
            sql.append(SqlTokenizer.UNKNOWN);
        }
        unknownNames.clear();
    }

    /** A constant's text keeps the lines of its own definition. */
    private static void append(StringBuilder sql, List<int[]> pieces, SqlSnippet constant) {
        int base = sql.length();
        for (int i = 0; i < constant.pieceOffsets().length; i++) {
            pieces.add(new int[] {base + constant.pieceOffsets()[i], constant.pieceLines()[i]});
        }
        sql.append(constant.sql());
    }

    /** Appends the literal at {@code pos} (a string or a text block) and moves past it. */
    private void literal(StringBuilder sql, List<int[]> pieces) {
        boolean textBlock = source.startsWith("\"\"\"", pos);
        int start = textBlock ? lineEnd(pos) + 1 : pos + 1;   // a text block's content starts on the next line
        pieces.add(new int[] {sql.length(), lineOf(Math.min(start, source.length() - 1))});
        int i = start;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '\\' && i + 1 < source.length()) {
                char e = source.charAt(i + 1);
                // Escaped line breaks stay line breaks, so positions keep mapping to source lines.
                sql.append(switch (e) {
                    case 'n', 't', 'r', 's', 'f', 'b' -> ' ';
                    case '\n' -> '\n';
                    default -> e;
                });
                i += 2;
            } else if (textBlock ? source.startsWith("\"\"\"", i) : c == '"') {
                pos = i + (textBlock ? 3 : 1);
                return;
            } else if (!textBlock && c == '\n') {   // unterminated: stop at the line end
                break;
            } else {
                sql.append(c);
                i++;
            }
        }
        pos = i;
    }

    private int charLiteralEnd(int open) {
        int i = open + 1;
        if (i < source.length() && source.charAt(i) == '\\') {
            i += 2;
        }
        int close = source.indexOf('\'', i);
        return close < 0 || close > lineEnd(open) ? open + 1 : close + 1;
    }

    private boolean isPlus(int i) {
        return i < source.length() && source.charAt(i) == '+'
                && (i + 1 >= source.length() || (source.charAt(i + 1) != '+' && source.charAt(i + 1) != '='));
    }

    /** End of a (qualified) name such as {@code COLUMNS} or {@code HostDao.TABLE}; {@code i} when none. */
    private int nameEnd(int i) {
        if (i >= source.length() || !Character.isJavaIdentifierStart(source.charAt(i))) {
            return i;
        }
        int j = i;
        while (j < source.length() && (Character.isJavaIdentifierPart(source.charAt(j)) || source.charAt(j) == '.')) {
            j++;
        }
        return j;
    }

    private int skipBlank(int i) {
        while (i < source.length()) {
            if (Character.isWhitespace(source.charAt(i))) {
                i++;
            } else if (source.startsWith("//", i)) {
                i = lineEnd(i);
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else {
                break;
            }
        }
        return i;
    }

    private int lineEnd(int i) {
        int end = source.indexOf('\n', i);
        return end < 0 ? source.length() : end;
    }

    private int lineOf(int index) {
        int found = Arrays.binarySearch(lineStarts, index);
        return (found >= 0 ? found : -found - 2) + 1;
    }
}
