package io.rbdstack.server;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A management server on a fresh schema of the harness MariaDB for one test class:
 * {@code @RegisterExtension static final FreshServer cloud = new FreshServer();}. Started before the
 * class's own {@code @BeforeAll} methods, stopped and its schema dropped after the class.
 */
public final class FreshServer implements BeforeAllCallback, AfterAllCallback {

    private final String[] serverProperties;
    private Path dir;
    private TestDatabase db;
    private TestServer server;

    /** @param serverProperties extra server.properties lines */
    public FreshServer(String... serverProperties) {
        this.serverProperties = serverProperties.clone();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("rbdstack-it-");
        db = new TestDatabase();
        Path config = TestServer.prepareConfig(dir.resolve("conf"), serverProperties);
        db.writeDbProperties(config, "serverTimezone=UTC");
        server = new TestServer(config);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            db.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** The root admin's session. */
    public ApiClient admin() {
        return server.admin;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    public ManagementServer management() {
        return server.server;
    }

    public TestDatabase db() {
        return db;
    }

    /** Runs one SQL statement on the server's schema (to stage rows a test needs, or to look behind the API). */
    public void execute(String sql) throws java.sql.SQLException {
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The single number {@code query} answers. */
    public long count(String query) throws java.sql.SQLException {
        try (java.sql.Connection c = db.connect(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
