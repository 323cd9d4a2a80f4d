package io.rbdstack.dbupgrade.portability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JavaSqlLiteralsTest {

    private static final String Q3 = "\"\"\"";

    private static final String SOURCE = String.join("\n",
            "class HostDao {",                                                          // 1
            "    // \"SELECT in a line comment\"",                                      // 2
            "    /* \"SELECT in a block comment\" */",                                  // 3
            "    char quote = '\"'; char escaped = '\\'';",                             // 4
            "    String a = \"SELECT id FROM host \"",                                   // 5
            "            + \"WHERE zone_id = ? \"   // why",                             // 6
            "            + /* really */ \"ORDER BY name\";",                             // 7
            "    String b = " + Q3,                                                     // 8
            "        SELECT DISTINCT name",                                             // 9
            "        FROM host",                                                        // 10
            "        ORDER BY created",                                                 // 11
            "        " + Q3 + ";",                                                      // 12
            "    String c = \"SELECT \" + columns + \" FROM host\" + suffix();",          // 13
            "    String d = \"x\" + count;",                                             // 14
            "    String e = \"it's \\\"quoted\\\"\\n\";",                                // 15
            "    int f = \"a\".length() + 1;",                                            // 16
            "    private static final String COLUMNS = \"id, \"",                        // 17
            "            + \"zone_id\";",                                                // 18
            "    String g = \"SELECT \" + COLUMNS + \" FROM host\" + LIMIT + \"10\";",     // 19
            "    String h = COLUMNS + \" ORDER BY x\";",                                  // 20
            "}");

    @Test
    void literalsAreFoundAndGluedAsJavaWould() {
        List<String> texts = JavaSqlLiterals.extract(SOURCE).stream().map(SqlSnippet::sql).toList();

        assertEquals(List.of(
                "SELECT id FROM host WHERE zone_id = ? ORDER BY name",
                "        SELECT DISTINCT name\n        FROM host\n        ORDER BY created\n        ",
                "SELECT " + SqlTokenizer.UNKNOWN + " FROM host",
                "x",
                "it's \"quoted\" ",
                "a",
                "id, zone_id",
                "SELECT id, zone_id FROM host" + SqlTokenizer.UNKNOWN + "10",
                "id, zone_id ORDER BY x"), texts);
    }

    @Test
    void positionsMapToSourceLines() {
        List<SqlSnippet> snippets = JavaSqlLiterals.extract(SOURCE);

        SqlSnippet glued = snippets.get(0);
        assertEquals(5, glued.lineAt(0));
        assertEquals(6, glued.lineAt(glued.sql().indexOf("WHERE")));
        assertEquals(7, glued.lineAt(glued.sql().indexOf("ORDER")));

        SqlSnippet textBlock = snippets.get(1);
        assertEquals(9, textBlock.lineAt(textBlock.sql().indexOf("SELECT")));
        assertEquals(11, textBlock.lineAt(textBlock.sql().indexOf("ORDER")));

        SqlSnippet withName = snippets.get(2);
        assertEquals(13, withName.lineAt(withName.sql().indexOf("FROM")));

        SqlSnippet withConstant = snippets.get(7);
        assertEquals(19, withConstant.lineAt(0));
        assertEquals(18, withConstant.lineAt(withConstant.sql().indexOf("zone_id")), "inside the constant");
        assertEquals(19, withConstant.lineAt(withConstant.sql().indexOf("FROM")));
    }
}
