package io.rbdstack.dbupgrade;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One schema upgrade step, {@code V<version>__<what>.sql}.
 *
 * @param checksum SHA-256 (lower-case hex) of {@code text} with {@code \r\n} normalised to {@code \n},
 *                 so a checkout with Windows line endings does not look like a changed script
 */
public record UpgradeScript(int version, String description, String fileName, String text, String checksum) {

    private static final Pattern FILE_NAME = Pattern.compile("V([1-9][0-9]{0,8})__([A-Za-z0-9][A-Za-z0-9_.-]*)\\.sql");

    public UpgradeScript {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(checksum, "checksum");
    }

    /**
     * Builds a script from its file name and text, deriving version, description and checksum.
     *
     * @throws IllegalArgumentException when the name is not {@code V<positive integer>__<what>.sql}
     */
    public static UpgradeScript of(String fileName, String text) {
        Matcher m = FILE_NAME.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException("Upgrade script name " + fileName
                    + " does not follow V<version>__<what>.sql (version a positive integer, e.g. V3__snapshots.sql)");
        }
        return new UpgradeScript(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), fileName, text,
                checksum(text));
    }

    /** Whether {@code fileName} follows the naming convention. */
    public static boolean isScriptName(String fileName) {
        return FILE_NAME.matcher(fileName).matches();
    }

    public static String checksum(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * @throws IllegalArgumentException when a quote or comment is never closed
     */
    public List<SqlStatement> statements() {
        return SqlStatementSplitter.split(text);
    }

    @Override
    public String toString() {
        return fileName;
    }
}
