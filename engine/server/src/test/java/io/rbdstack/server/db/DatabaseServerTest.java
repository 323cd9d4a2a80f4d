package io.rbdstack.server.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatabaseServerTest {

    private static DatabaseServer parse(String version) {
        return DatabaseServer.parse(version, "", "");
    }

    @Test
    void mariaDbBehindTheLegacyPrefixIsReadCorrectly() {
        DatabaseServer server = parse("5.5.5-10.11.19-MariaDB");
        assertEquals("MariaDB", server.product());
        assertEquals(10, server.major());
        assertEquals(11, server.minor());
        assertTrue(server.supported());
    }

    @Test
    void supportedAndRefusedVersions() {
        assertTrue(parse("5.7.44-log").supported());
        assertTrue(parse("8.0.36").supported());
        assertTrue(parse("10.3.39-MariaDB").supported());
        assertFalse(parse("5.6.51").supported());
        assertFalse(parse("10.2.44-MariaDB").supported());
        assertEquals("MySQL 5.6.51 is too old: rbdstack needs MySQL 5.7 or later, or MariaDB 10.3 or later",
                parse("5.6.51").unsupportedReason());
    }
}
