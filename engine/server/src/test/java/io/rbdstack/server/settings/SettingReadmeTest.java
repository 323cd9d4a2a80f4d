package io.rbdstack.server.settings;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's global-settings table is the admin's one list of settings, defaults and ranges. */
class SettingReadmeTest {

    @Test
    void readmeListsEverySettingWithItsDefaultRangeAndWhenItApplies() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        String text = Files.readString(dir.resolve("README.md"));
        for (Setting setting : Setting.ALL) {
            String row = "| `" + setting.name() + "` | `" + setting.defaultValue() + "` | " + setting.type().allowed()
                    + " | " + (setting.dynamic() ? "at once" : "after a restart") + " |";
            assertTrue(text.contains(row), "README settings table lacks the row " + row);
        }
    }
}
