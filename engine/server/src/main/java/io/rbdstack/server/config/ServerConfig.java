package io.rbdstack.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything the management server is configured with, read once from a config directory holding
 * an optional {@code db.properties} (CloudStack's keys; absent = embedded MariaDB) and an optional
 * {@code server.properties} (see {@link ServerOption}), and validated before anything starts.
 */
public record ServerConfig(Path configDir, Optional<DbProperties> db, String httpAddress, int httpPort,
                           String httpsAddress, int httpsPort, Optional<Path> httpsKeystore,
                           Optional<Path> httpsKeystorePasswordFile, String agentAddress, int agentPort,
                           Duration agentHandshakeTimeout, int agentMaxUnauthenticated, Duration agentHeartbeat,
                           Duration sessionTimeout, int jobThreads, Duration mshostHeartbeat,
                           Duration shutdownGrace, Optional<Path> adminPasswordFile, Path embeddedDbDir,
                           int embeddedDbPort, String pluginDir, Duration snapshotPolicyTestInterval) {

    public static final String DB_PROPERTIES = "db.properties";
    public static final String SERVER_PROPERTIES = "server.properties";

    public static ServerConfig load(Path configDir) throws ConfigException {
        Path dbFile = configDir.resolve(DB_PROPERTIES);
        Optional<DbProperties> db = Files.exists(dbFile) ? Optional.of(DbProperties.load(dbFile)) : Optional.empty();
        Path serverFile = configDir.resolve(SERVER_PROPERTIES);
        PropertiesFile p = Files.exists(serverFile) ? PropertiesFile.load(serverFile) : PropertiesFile.empty(serverFile);
        for (String key : p.keys()) {
            if (ServerOption.REMOVED.containsKey(key)) {
                throw p.error(key, "is no longer read: " + ServerOption.REMOVED.get(key));
            }
            if (ServerOption.ALL.stream().noneMatch(o -> o.key().equals(key))) {
                throw p.error(key, "is not a known setting (known: "
                        + ServerOption.ALL.stream().map(ServerOption::key).toList() + ")");
            }
        }
        Optional<Path> keystore = optionalPath(p, ServerOption.HTTPS_KEYSTORE);
        Optional<Path> keystorePassword = optionalPath(p, ServerOption.HTTPS_KEYSTORE_PASSWORD_FILE);
        if (keystore.isPresent() != keystorePassword.isPresent()) {
            throw p.error(ServerOption.HTTPS_KEYSTORE_PASSWORD_FILE.key(),
                    "and '" + ServerOption.HTTPS_KEYSTORE.key() + "' must be set together");
        }
        return new ServerConfig(configDir, db,
                string(p, ServerOption.HTTP_ADDRESS), port(p, ServerOption.HTTP_PORT),
                string(p, ServerOption.HTTPS_ADDRESS), port(p, ServerOption.HTTPS_PORT),
                keystore, keystorePassword,
                string(p, ServerOption.AGENT_ADDRESS), port(p, ServerOption.AGENT_PORT),
                seconds(p, ServerOption.AGENT_HANDSHAKE_TIMEOUT_SECONDS, 1, 600),
                integer(p, ServerOption.AGENT_MAX_UNAUTHENTICATED, 1, 100_000),
                seconds(p, ServerOption.AGENT_HEARTBEAT_SECONDS, 1, 600),
                seconds(p, ServerOption.SESSION_TIMEOUT_SECONDS, 60, 7 * 86_400),
                integer(p, ServerOption.JOB_THREADS, 1, 256),
                seconds(p, ServerOption.MSHOST_HEARTBEAT_SECONDS, 1, 600),
                seconds(p, ServerOption.SHUTDOWN_GRACE_SECONDS, 0, 3600),
                optionalPath(p, ServerOption.ADMIN_PASSWORD_FILE),
                expandHome(string(p, ServerOption.EMBEDDED_DB_DIR)),
                integer(p, ServerOption.EMBEDDED_DB_PORT, 0, 65535),
                string(p, ServerOption.PLUGIN_DIR),
                seconds(p, ServerOption.SNAPSHOT_POLICY_TEST_INTERVAL_SECONDS, 0, 86_400));
    }

    private static String string(PropertiesFile p, ServerOption option) {
        return p.string(option.key(), option.defaultValue());
    }

    private static int integer(PropertiesFile p, ServerOption option, int min, int max) throws ConfigException {
        return p.integer(option.key(), Integer.parseInt(option.defaultValue()), min, max);
    }

    private static int port(PropertiesFile p, ServerOption option) throws ConfigException {
        return integer(p, option, 0, 65535);
    }

    private static Duration seconds(PropertiesFile p, ServerOption option, int min, int max) throws ConfigException {
        return Duration.ofSeconds(integer(p, option, min, max));
    }

    private static Optional<Path> optionalPath(PropertiesFile p, ServerOption option) throws ConfigException {
        Optional<String> value = p.optional(option.key());
        if (value.isPresent() && !Files.isReadable(expandHome(value.get()))) {
            throw p.error(option.key(), "names '" + value.get() + "', which is not a readable file");
        }
        return value.map(ServerConfig::expandHome);
    }

    private static Path expandHome(String path) {
        return path.startsWith("~/") ? Path.of(System.getProperty("user.home")).resolve(path.substring(2)) : Path.of(path);
    }
}
