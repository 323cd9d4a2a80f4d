package io.rbdstack.server.db;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server reports about itself, and whether rbdstack can run on it: MySQL 5.7 or later,
 * or MariaDB 10.3 or later.
 */
public record DatabaseServer(String versionString, String product, int major, int minor, String globalSqlMode,
                             String sessionSqlMode) {

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    public static DatabaseServer parse(String versionString, String globalSqlMode, String sessionSqlMode) {
        boolean mariaDb = versionString.toLowerCase().contains("mariadb");
        // MariaDB may report "5.5.5-10.11.19-MariaDB" for old clients: the real version follows the prefix.
        String v = mariaDb && versionString.startsWith("5.5.5-") ? versionString.substring(6) : versionString;
        Matcher m = VERSION.matcher(v);
        if (!m.find()) {
            throw new IllegalArgumentException("Cannot read the database server version '" + versionString + "'");
        }
        return new DatabaseServer(versionString, mariaDb ? "MariaDB" : "MySQL", Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)), globalSqlMode, sessionSqlMode);
    }

    public boolean supported() {
        return product.equals("MariaDB") ? atLeast(10, 3) : atLeast(5, 7);
    }

    public String unsupportedReason() {
        return product + " " + versionString + " is too old: rbdstack needs MySQL 5.7 or later, or MariaDB 10.3 or later";
    }

    private boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }
}
