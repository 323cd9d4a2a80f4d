package io.rbdstack.server.db.embedded;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMariaDbLayoutTest {

    @Test
    void aDataDirTooLongForTheUnixSocketIsRefusedWithTheReason(@TempDir Path dir) {
        Path deep = dir.resolve("d".repeat(100));
        IOException e = assertThrows(IOException.class, () -> EmbeddedMariaDbLayout.create(deep));
        assertTrue(e.getMessage().contains("too long"), e.getMessage());
    }
}
