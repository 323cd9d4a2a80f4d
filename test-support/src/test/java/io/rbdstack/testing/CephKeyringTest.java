package io.rbdstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CephKeyringTest {

    @TempDir
    Path dir;

    @Test
    void readsTheKeyOfTheNamedSectionOnly() throws Exception {
        Path keyring = dir.resolve("keyring");
        Files.writeString(keyring, """
                [client.admin]
                \tkey = AQAAadminkey+/==
                \tcaps mon = "allow *"
                [client.rbdstack]
                \tkey = AQAAlimited/key=
                """);
        assertEquals("AQAAlimited/key=", CephKeyring.read(keyring, "rbdstack").key());
        assertEquals("AQAAadminkey+/==", CephKeyring.read(keyring, "admin").key());
    }

    @Test
    void missingUserIsAnErrorNamingTheUser() throws Exception {
        Path keyring = dir.resolve("keyring");
        Files.writeString(keyring, "[client.admin]\n\tkey = AQAA==\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CephKeyring.read(keyring, "other"));
        assertEquals("Keyring " + keyring + " has no key for client.other", e.getMessage());
    }

    @Test
    void toStringNeverShowsTheKey() {
        assertFalse(new CephKeyring.CephUser("admin", "AQAAsecret==").toString().contains("AQAAsecret"));
    }
}
