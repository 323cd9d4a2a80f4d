package io.rbdstack.dbupgrade;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an upgrade script into statements. A statement ends with a {@code ;} that is the last thing
 * on its line (outside quotes and comments); {@code --} comments are dropped and blank lines ignored.
 * Quotes are tracked so that a {@code ;} or {@code --} inside a string or identifier is left alone.
 * Line breaks inside a statement are kept so that positions can be mapped back to script lines.
 */
public final class SqlStatementSplitter {

    private enum State { CODE, QUOTED, BLOCK_COMMENT }

    private final String text;
    private final List<SqlStatement> statements = new ArrayList<>();
    private final StringBuilder current = new StringBuilder();
    private int pos;
    private int line = 1;
    private int statementLine;
    private int semicolonAt = -1;   // index in current of a ; that nothing significant has followed yet
    private boolean started;        // current holds something besides whitespace
    private boolean lineHasCode;
    private State state = State.CODE;
    private char quote;
    private int openedAtLine;

    private SqlStatementSplitter(String text) {
        this.text = text.replace("\r\n", "\n");
    }

    /**
     * @throws IllegalArgumentException when a quote or block comment is never closed
     */
    public static List<SqlStatement> split(String script) {
        return new SqlStatementSplitter(script).run();
    }

    private List<SqlStatement> run() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            switch (state) {
                case CODE -> code(c);
                case QUOTED -> quoted(c);
                case BLOCK_COMMENT -> blockComment(c);
            }
        }
        if (state != State.CODE) {
            throw new IllegalArgumentException((state == State.QUOTED ? "quote " + quote : "comment /*")
                    + " opened on line " + openedAtLine + " is never closed");
        }
        endLine();
        finishStatement(current.length());
        return List.copyOf(statements);
    }

    private void code(char c) {
        if (c == '-' && startsComment()) {
            while (pos < text.length() && text.charAt(pos) != '\n') {
                pos++;
            }
        } else if (c == '\n') {
            endLine();
            current.append('\n');
            line++;
            lineHasCode = false;
            pos++;
        } else if (c == ';') {
            significant();
            current.append(c);
            semicolonAt = current.length() - 1;
            pos++;
        } else if (Character.isWhitespace(c)) {
            current.append(c);
            pos++;
        } else {
            significant();
            if (c == '\'' || c == '"' || c == '`') {
                state = State.QUOTED;
                quote = c;
                openedAtLine = line;
            } else if (c == '/' && peek(1) == '*') {
                state = State.BLOCK_COMMENT;
                openedAtLine = line;
                current.append(c);
                pos++;
                c = text.charAt(pos);
            }
            current.append(c);
            pos++;
        }
    }

    /** MySQL wants whitespace after {@code --}; at the start of a line we accept any {@code --} as a comment. */
    private boolean startsComment() {
        if (peek(1) != '-') {
            return false;
        }
        char after = peek(2);
        return after == 0 || Character.isWhitespace(after) || !lineHasCode;
    }

    private void quoted(char c) {
        current.append(c);
        pos++;
        if (c == '\n') {
            line++;
        } else if (c == '\\' && quote != '`' && pos < text.length()) {
            char escaped = text.charAt(pos++);
            current.append(escaped);
            if (escaped == '\n') {
                line++;
            }
        } else if (c == quote) {
            if (peek(0) == quote) {   // doubled quote stands for itself
                current.append(quote);
                pos++;
            } else {
                state = State.CODE;
            }
        }
    }

    private void blockComment(char c) {
        current.append(c);
        pos++;
        if (c == '\n') {
            line++;
        } else if (c == '*' && peek(0) == '/') {
            current.append('/');
            pos++;
            state = State.CODE;
        }
    }

    private void significant() {
        semicolonAt = -1;
        lineHasCode = true;
        if (!started) {
            started = true;
            statementLine = line;
        }
    }

    private void endLine() {
        if (semicolonAt >= 0) {
            finishStatement(semicolonAt);
        }
    }

    private void finishStatement(int end) {
        String sql = current.substring(0, end).strip();
        current.setLength(0);
        semicolonAt = -1;
        started = false;
        if (!sql.isEmpty()) {
            statements.add(new SqlStatement(statements.size() + 1, statementLine, sql));
        }
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < text.length() ? text.charAt(at) : 0;
    }
}
