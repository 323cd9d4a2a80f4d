package io.rbdstack.dbupgrade;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The tables and views the scripts leave behind, read from their CREATE / DROP / RENAME statements. */
final class ScriptTables {

    private static final String NAME = "`?(\\w+)`?";
    private static final Pattern CREATE = Pattern.compile(
            "(?is)^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+)?(?:ALGORITHM\\s*=\\s*\\w+\\s+)?"
                    + "(?:DEFINER\\s*=\\s*\\S+\\s+)?(?:SQL\\s+SECURITY\\s+\\w+\\s+)?(?:TABLE|VIEW)\\s+"
                    + "(?:IF\\s+NOT\\s+EXISTS\\s+)?" + NAME);
    private static final Pattern DROP = Pattern.compile("(?is)^DROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?(.+)");
    private static final Pattern RENAME = Pattern.compile("(?is)^RENAME\\s+TABLE\\s+(.+)");
    private static final Pattern ALTER_RENAME = Pattern.compile(
            "(?is)^ALTER\\s+TABLE\\s+" + NAME + "\\s+RENAME\\s+(?:TO\\s+|AS\\s+)?" + NAME);

    private ScriptTables() {
    }

    static Set<String> expected(UpgradeScripts scripts) {
        Set<String> tables = new TreeSet<>();
        for (UpgradeScript script : scripts.all()) {
            for (SqlStatement statement : script.statements()) {
                String sql = statement.sql();
                Matcher m;
                if ((m = CREATE.matcher(sql)).find()) {
                    tables.add(lower(m.group(1)));
                } else if ((m = DROP.matcher(sql)).find()) {
                    for (String name : m.group(1).split(",")) {
                        tables.remove(lower(name.strip().replace("`", "")));
                    }
                } else if ((m = RENAME.matcher(sql)).find()) {
                    for (String pair : m.group(1).split(",")) {
                        String[] names = pair.strip().replace("`", "").split("(?i)\\s+TO\\s+");
                        tables.remove(lower(names[0]));
                        tables.add(lower(names[1]));
                    }
                } else if ((m = ALTER_RENAME.matcher(sql)).find()) {
                    tables.remove(lower(m.group(1)));
                    tables.add(lower(m.group(2)));
                }
            }
        }
        return tables;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
