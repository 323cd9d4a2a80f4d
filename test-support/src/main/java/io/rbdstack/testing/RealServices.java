package io.rbdstack.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Where the real services started by {@code scripts/services.sh} live: read from
 * {@code $RBDSTACK_STATE_DIR/services.properties} (default state dir {@code /tmp/rbdstack}).
 * Integration tests fail, never skip, when the services are not there.
 */
public final class RealServices {

    private static final String DEFAULT_STATE_DIR = "/tmp/rbdstack";

    private final Path stateDir;
    private final Properties properties;

    private RealServices(Path stateDir, Properties properties) {
        this.stateDir = stateDir;
        this.properties = properties;
    }

    public static RealServices load() {
        String dir = System.getenv("RBDSTACK_STATE_DIR");
        Path stateDir = Path.of(dir == null || dir.isBlank() ? DEFAULT_STATE_DIR : dir);
        Path file = stateDir.resolve("services.properties");
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("No " + file + ": the real services are not running."
                    + " Start them with scripts/services.sh start (or run scripts/test.sh).");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
        return new RealServices(stateDir, properties);
    }

    public Path stateDir() {
        return stateDir;
    }

    /** A value the start scripts wrote; fails naming the key and the service that should have written it. */
    public String require(String key) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("services.properties in " + stateDir + " has no '" + key
                    + "': start that service with scripts/services.sh start");
        }
        return value;
    }

    public Database database() {
        return new Database(require("db.host"), Integer.parseInt(require("db.port")), require("db.name"),
                require("db.username"), readTrimmed(Path.of(require("db.password.file"))));
    }

    public Ceph ceph() {
        return new Ceph(require("ceph.mon.host"), Integer.parseInt(require("ceph.mon.v1.port")),
                Integer.parseInt(require("ceph.mon.v2.port")), require("ceph.pool"),
                Path.of(require("ceph.conf")),
                CephKeyring.read(Path.of(require("ceph.admin.keyring")), "admin"),
                CephKeyring.read(Path.of(require("ceph.limited.keyring")), require("ceph.limited.user")));
    }

    public String libvirtUri() {
        return require("libvirt.uri");
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    /** The MariaDB of scripts/mariadb.sh. */
    public record Database(String host, int port, String name, String username, String password) {
        public String jdbcUrl() {
            return jdbcUrl(name);
        }

        public String jdbcUrl(String schema) {
            return "jdbc:mysql://" + host + ":" + port + "/" + schema + "?serverTimezone=UTC";
        }

        @Override
        public String toString() {
            return "Database[" + host + ":" + port + "/" + name + " as " + username + "]";
        }
    }

    /** The one-node cluster of scripts/ceph.sh. */
    public record Ceph(String monHost, int monV1Port, int monV2Port, String pool, Path conf,
                       CephKeyring.CephUser admin, CephKeyring.CephUser limitedUser) {
    }
}
