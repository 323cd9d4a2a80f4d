package io.rbdstack.server.settings;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's global-settings table is the admin's one list of settings and defaults. */
class SettingReadmeTest {

    @Test
    void readmeListsEverySettingWithItsDefault() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        String text = Files.readString(dir.resolve("README.md"));
        for (Setting setting : Setting.ALL) {
            assertTrue(text.contains("| `" + setting.name() + "` | `" + setting.defaultValue() + "` |"),
                    "README settings table lacks " + setting.name() + " with default " + setting.defaultValue());
        }
    }
}
