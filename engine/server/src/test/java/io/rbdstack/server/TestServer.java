package io.rbdstack.server;

import io.rbdstack.server.config.ServerConfig;
import io.rbdstack.server.config.ServerOption;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A management server on a throw-away schema, ports chosen by the OS, admin password known to the test. */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";

    public final ManagementServer server;
    public final ApiClient admin;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    public TestServer(Path configDir) throws Exception {
        server = ManagementServer.start(ServerConfig.load(configDir), new PrintStream(console, true, StandardCharsets.UTF_8));
        admin = ApiClient.login(baseUrl(), "admin", ADMIN_PASSWORD);
    }

    /**
     * Writes server.properties for tests into {@code configDir} (db.properties is the caller's); plugins come from
     * the class path and {@code configDir/plugins} (empty unless the test puts one there), unless a line sets
     * {@code plugin.dir}.
     */
    public static Path prepareConfig(Path configDir, String... extraLines) throws Exception {
        Files.createDirectories(configDir);
        Path password = configDir.resolve("admin.password");
        Files.writeString(password, ADMIN_PASSWORD);
        StringBuilder props = new StringBuilder("http.address=127.0.0.1\nhttp.port=0\nhttps.address=127.0.0.1\n"
                + "https.port=0\nagent.address=127.0.0.1\n"
                + "agent.port=0\nadmin.password.file=" + password + "\nshutdown.grace.seconds=2\n");
        // Not plugins/ beside the server jar: failsafe runs the packaged jar, and scripts/server.sh copies whatever
        // plugin jars were last built there, which a test would then load instead of the classpath's. Before the
        // extra lines, so that one of them setting plugin.dir wins (the last value of a key does).
        props.append(ServerOption.PLUGIN_DIR.key()).append('=').append(configDir.resolve("plugins")).append('\n');
        for (String line : extraLines) {
            props.append(line).append('\n');
        }
        Files.writeString(configDir.resolve("server.properties"), props);
        return configDir;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.httpPort() + "/client/api";
    }

    public String httpsUrl() {
        return "https://127.0.0.1:" + server.httpsPort() + "/client/api";
    }

    @Override
    public void close() {
        server.close();
    }
}
