package io.rbdstack.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @TempDir
    Path dir;

    @Test
    void emptyConfigDirMeansDefaultsAndTheEmbeddedDatabase() throws Exception {
        ServerConfig config = ServerConfig.load(dir);
        assertTrue(config.db().isEmpty());
        assertEquals(8080, config.httpPort());
        assertEquals(8250, config.agentPort());
        assertEquals(1800, config.sessionTimeout().toSeconds());
    }

    @Test
    void unknownKeyIsRefusedByName() throws Exception {
        Files.writeString(dir.resolve("server.properties"), "http.prot=8081\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("server.properties") + ": 'http.prot' is not a known setting"),
                e.getMessage());
    }

    @Test
    void outOfRangeValueNamesKeyAndRange() throws Exception {
        Files.writeString(dir.resolve("server.properties"), "http.port=70000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(dir));
        assertEquals(dir.resolve("server.properties") + ": 'http.port' must be between 0 and 65535, got 70000",
                e.getMessage());
    }

    @Test
    void readmeListsEveryServerOption() throws Exception {
        Path readme = Path.of("").toAbsolutePath();
        while (readme != null && !Files.exists(readme.resolve("README.md"))) {
            readme = readme.getParent();
        }
        String text = Files.readString(readme.resolve("README.md"));
        for (ServerOption option : ServerOption.ALL) {
            assertTrue(text.contains("| `" + option.key() + "` | `" + option.defaultValue() + "` |"),
                    "README table lacks " + option.key() + " with default " + option.defaultValue());
        }
    }
}
