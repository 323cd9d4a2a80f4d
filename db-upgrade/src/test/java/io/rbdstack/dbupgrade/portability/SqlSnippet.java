package io.rbdstack.dbupgrade.portability;

/**
 * A piece of SQL found in a source file, with what is needed to map a position in it back to a line
 * of that file: it may be glued together from several Java literals on different lines.
 *
 * @param pieceOffsets where each glued piece starts in {@code sql}, ascending, the first 0
 * @param pieceLines   the source line on which each piece starts
 */
record SqlSnippet(String sql, int[] pieceOffsets, int[] pieceLines) {

    static SqlSnippet at(String sql, int line) {
        return new SqlSnippet(sql, new int[] {0}, new int[] {line});
    }

    /** The source line of the character at {@code offset}. */
    int lineAt(int offset) {
        int piece = 0;
        while (piece + 1 < pieceOffsets.length && pieceOffsets[piece + 1] <= offset) {
            piece++;
        }
        int line = pieceLines[piece];
        for (int i = pieceOffsets[piece]; i < Math.min(offset, sql.length()); i++) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    int firstLine() {
        return pieceLines[0];
    }
}
