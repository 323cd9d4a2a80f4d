package io.rbdstack.server.db.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the embedded MariaDB keeps everything, all under one directory so that it survives restarts
 * and can be moved or backed up as a whole.
 */
record EmbeddedMariaDbLayout(Path home) {

    /** The longest unix socket path Linux accepts (sun_path is 108 bytes including the NUL). */
    private static final int MAX_SOCKET_PATH = 107;

    static EmbeddedMariaDbLayout create(Path dataDir) throws IOException {
        EmbeddedMariaDbLayout layout = new EmbeddedMariaDbLayout(dataDir.toAbsolutePath().normalize());
        Files.createDirectories(layout.home());
        Files.createDirectories(layout.tmp());
        Files.createDirectories(layout.socketDir());
        if (layout.socket().toString().getBytes().length > MAX_SOCKET_PATH) {
            throw new IOException("The data dir path is too long for MariaDB's unix socket " + layout.socket()
                    + " (at most " + MAX_SOCKET_PATH + " bytes): choose a shorter data dir");
        }
        return layout;
    }

    /** The unpacked server binaries of one MariaDB version; a new bundle version unpacks beside it. */
    Path binaries(String version) {
        return home.resolve("mariadb-" + version);
    }

    /** MariaDB's own datadir. */
    Path data() {
        return home.resolve("data");
    }

    Path tmp() {
        return home.resolve("tmp");
    }

    Path socketDir() {
        return home.resolve("run");
    }

    Path socket() {
        return socketDir().resolve("mariadb.sock");
    }

    /** The generated password of the database user, mode 600. */
    Path passwordFile() {
        return home.resolve("db.password");
    }

    /** Held while a server runs on this data dir, so a second one fails at once instead of after InnoDB's lock retries. */
    Path lockFile() {
        return home.resolve("lock");
    }

    /**
     * Written once the first start has installed the system tables and created the database and
     * its user. A data dir without it is the leftover of an interrupted first start.
     */
    Path initializedMarker() {
        return home.resolve("initialized");
    }
}
