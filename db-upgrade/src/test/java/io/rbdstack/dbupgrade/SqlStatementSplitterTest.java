package io.rbdstack.dbupgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlStatementSplitterTest {

    @Test
    void splitsAtSemicolonEndingALineAndDropsCommentsAndBlankLines() {
        List<SqlStatement> statements = SqlStatementSplitter.split("""
                -- header comment;
                CREATE TABLE a (
                  id INT NOT NULL, -- trailing comment;
                  name VARCHAR(10)
                );

                -- between
                INSERT INTO a VALUES (1, 'x');   -- after the terminator
                """);

        assertEquals(2, statements.size());
        assertEquals(new SqlStatement(1, 2, "CREATE TABLE a (\n  id INT NOT NULL, \n  name VARCHAR(10)\n)"),
                statements.get(0));
        assertEquals(new SqlStatement(2, 8, "INSERT INTO a VALUES (1, 'x')"), statements.get(1));
    }

    @Test
    void semicolonInsideQuotesOrMidLineDoesNotEndAStatement() {
        List<SqlStatement> statements = SqlStatementSplitter.split("""
                INSERT INTO t VALUES ('a;
                b -- not a comment;
                ', "it's;", `odd;
                name`); UPDATE t SET x = 1;
                SELECT 'it''s', 'back\\'slash;', 1--1;
                """);

        assertEquals(2, statements.size(), statements.toString());
        assertTrue(statements.get(0).sql().contains("b -- not a comment;\n"), statements.get(0).sql());
        assertTrue(statements.get(0).sql().endsWith("name`); UPDATE t SET x = 1"), statements.get(0).sql());
        assertEquals(new SqlStatement(2, 5, "SELECT 'it''s', 'back\\'slash;', 1--1"), statements.get(1));
    }

    @Test
    void blockCommentsAreKeptAndTheirSemicolonsIgnored() {
        List<SqlStatement> statements = SqlStatementSplitter.split("/* note;\n */ SELECT 1;\n/*!40101 SET x = 1 */;\n");

        assertEquals(List.of(new SqlStatement(1, 1, "/* note;\n */ SELECT 1"),
                new SqlStatement(2, 3, "/*!40101 SET x = 1 */")), statements);
    }

    @Test
    void lastStatementNeedsNoSemicolonAndCrLfIsHandled() {
        List<SqlStatement> statements = SqlStatementSplitter.split("SELECT 1;\r\n\r\n--c\r\nSELECT\r\n 2\r\n");

        assertEquals(List.of(new SqlStatement(1, 1, "SELECT 1"), new SqlStatement(2, 4, "SELECT\n 2")), statements);
    }

    @Test
    void commentsOnlyAndLoneSemicolonsGiveNoStatements() {
        assertEquals(List.of(), SqlStatementSplitter.split("-- nothing here;\n\n   ;\n--\n"));
    }

    @Test
    void unclosedQuoteIsReportedWithItsLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SqlStatementSplitter.split("SELECT 1;\nINSERT INTO t VALUES ('open);\n"));
        assertEquals("quote ' opened on line 2 is never closed", e.getMessage());
    }
}
