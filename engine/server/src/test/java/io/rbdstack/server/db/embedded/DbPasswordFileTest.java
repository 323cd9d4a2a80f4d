package io.rbdstack.server.db.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbPasswordFileTest {

    @Test
    void aWrittenPasswordIsReadBackAndOnlyItsOwnerMayReadIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("db.password");
        String password = DbPasswordFile.generate();
        DbPasswordFile.write(file, password);

        assertEquals(Optional.of(password), DbPasswordFile.read(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }
    }

    @Test
    void readingNarrowsWidenedPermissions(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("db.password");
        DbPasswordFile.write(file, "abc123");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        DbPasswordFile.read(file);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aMissingEmptyOrForeignPasswordCountsAsNone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("db.password");
        assertEquals(Optional.empty(), DbPasswordFile.read(file));
        Files.writeString(file, "\n");
        assertEquals(Optional.empty(), DbPasswordFile.read(file));
        Files.writeString(file, "it's quoted");
        assertEquals(Optional.empty(), DbPasswordFile.read(file));
    }

    @Test
    void generatedPasswordsAreLongRandomAndNeedNoQuoting() {
        String a = DbPasswordFile.generate();
        assertEquals(32, a.length());
        assertTrue(DbPasswordFile.isWellFormed(a), a);
        assertNotEquals(a, DbPasswordFile.generate());
    }
}
