package io.rbdstack.server.db;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits the {@code sql_mode} inside a Connector/J {@code sessionVariables=} URL parameter, as
 * CloudStack's shipped {@code db.cloud.url.params} carries one. Used to drop NO_AUTO_CREATE_USER,
 * which MySQL 8 removed and rejects.
 */
final class SqlModeParams {

    private static final Pattern SQL_MODE = Pattern.compile("(sql_mode\\s*=\\s*)(%27|'|\")([A-Za-z_,]*)(%27|'|\")");

    private SqlModeParams() {
    }

    /** The URL params without {@code mode} in the session sql_mode, or empty if it isn't there. */
    static Optional<String> withoutMode(String urlParams, String mode) {
        Matcher m = SQL_MODE.matcher(urlParams);
        if (!m.find()) {
            return Optional.empty();
        }
        String[] modes = m.group(3).split(",");
        StringBuilder kept = new StringBuilder();
        boolean removed = false;
        for (String candidate : modes) {
            if (candidate.equalsIgnoreCase(mode)) {
                removed = true;
            } else if (!candidate.isEmpty()) {
                kept.append(kept.isEmpty() ? "" : ",").append(candidate);
            }
        }
        if (!removed) {
            return Optional.empty();
        }
        return Optional.of(urlParams.substring(0, m.start(3)) + kept + urlParams.substring(m.end(3)));
    }
}
