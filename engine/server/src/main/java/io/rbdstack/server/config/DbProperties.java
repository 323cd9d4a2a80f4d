package io.rbdstack.server.config;

import io.rbdstack.spi.Secret;
import java.nio.file.Path;

/**
 * The database settings of a CloudStack {@code db.properties} file, with CloudStack's keys.
 * The JDBC URL is built as CloudStack builds it: {@code jdbc:mysql://host:port/name?} + url.params.
 */
public record DbProperties(Path source, String host, int port, String name, String username, Secret password,
                           String urlParams, int maxActive, int maxWaitMillis, Secret encryptSecret) {

    public static final String HOST = "db.cloud.host";
    public static final String PORT = "db.cloud.port";
    public static final String NAME = "db.cloud.name";
    public static final String USERNAME = "db.cloud.username";
    public static final String PASSWORD = "db.cloud.password";
    public static final String URL_PARAMS = "db.cloud.url.params";
    public static final String MAX_ACTIVE = "db.cloud.maxActive";
    public static final String MAX_WAIT = "db.cloud.maxWait";
    public static final String ENCRYPT_SECRET = "db.cloud.encrypt.secret";

    public static DbProperties load(Path file) throws ConfigException {
        PropertiesFile p = PropertiesFile.load(file);
        String host = p.required(HOST);
        String name = p.string(NAME, "cloud");
        if (!name.matches("[A-Za-z0-9_$]+")) {
            throw p.error(NAME, "must be a plain schema name (letters, digits, _ and $), got '" + name + "'");
        }
        String urlParams = p.string(URL_PARAMS, "");
        if (urlParams.startsWith("?")) {
            throw p.error(URL_PARAMS, "must not start with '?': the server adds it");
        }
        return new DbProperties(file, host, p.integer(PORT, 3306, 1, 65535), name, p.required(USERNAME),
                p.requiredSecret(PASSWORD), urlParams, p.integer(MAX_ACTIVE, 250, 1, 10_000),
                p.integer(MAX_WAIT, 10_000, 250, 3_600_000), p.requiredSecret(ENCRYPT_SECRET));
    }

    public String jdbcUrl() {
        return jdbcUrl(urlParams);
    }

    /** The URL with other parameters, e.g. after dropping a sql_mode the server rejects. */
    public String jdbcUrl(String params) {
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "jdbc:mysql://" + hostPart + ":" + port + "/" + name + (params.isEmpty() ? "" : "?" + params);
    }

    public DbProperties withUrlParams(String params) {
        return new DbProperties(source, host, port, name, username, password, params, maxActive, maxWaitMillis,
                encryptSecret);
    }
}
