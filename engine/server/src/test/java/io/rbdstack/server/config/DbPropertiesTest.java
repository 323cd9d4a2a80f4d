package io.rbdstack.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbPropertiesTest {

    @TempDir
    Path dir;

    private static final String SHIPPED_PARAMS = "prepStmtCacheSize=517&cachePrepStmts=true&sessionVariables=sql_mode="
            + "'STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'"
            + "&serverTimezone=UTC";

    private Path write(String... lines) throws Exception {
        Path file = dir.resolve("db.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void buildsTheJdbcUrlAsCloudStackDoes() throws Exception {
        DbProperties db = DbProperties.load(write("db.cloud.host=db.example.com", "db.cloud.port=3307",
                "db.cloud.name=cloud", "db.cloud.username=cloud", "db.cloud.password=p@ss=word",
                "db.cloud.url.params=" + SHIPPED_PARAMS, "db.cloud.encrypt.secret=s3cret"));
        assertEquals("jdbc:mysql://db.example.com:3307/cloud?" + SHIPPED_PARAMS, db.jdbcUrl());
        assertEquals("p@ss=word", db.password().reveal());
        assertFalse(db.toString().contains("p@ss=word"), "the record's toString masks secrets");
        assertFalse(db.toString().contains("s3cret"));
    }

    @Test
    void defaultsFollowCloudStack() throws Exception {
        DbProperties db = DbProperties.load(write("db.cloud.host=h", "db.cloud.username=u", "db.cloud.password=p",
                "db.cloud.encrypt.secret=s"));
        assertEquals(3306, db.port());
        assertEquals("cloud", db.name());
        assertEquals("jdbc:mysql://h:3306/cloud", db.jdbcUrl());
    }

    @Test
    void ipv6HostIsBracketed() throws Exception {
        DbProperties db = DbProperties.load(write("db.cloud.host=2001:db8::10", "db.cloud.username=u",
                "db.cloud.password=p", "db.cloud.encrypt.secret=s"));
        assertEquals("jdbc:mysql://[2001:db8::10]:3306/cloud", db.jdbcUrl());
    }

    @Test
    void missingKeyIsOneLineNamingKeyAndFile() throws Exception {
        Path file = write("db.cloud.host=h", "db.cloud.password=p", "db.cloud.encrypt.secret=s");
        ConfigException e = assertThrows(ConfigException.class, () -> DbProperties.load(file));
        assertEquals(file + ": 'db.cloud.username' is missing", e.getMessage());
    }

    @Test
    void malformedPortNamesTheKey() throws Exception {
        Path file = write("db.cloud.host=h", "db.cloud.port=33o6", "db.cloud.username=u", "db.cloud.password=p",
                "db.cloud.encrypt.secret=s");
        ConfigException e = assertThrows(ConfigException.class, () -> DbProperties.load(file));
        assertEquals(file + ": 'db.cloud.port' must be an integer, got '33o6'", e.getMessage());
    }

    @Test
    void jasyptEncryptedValuesAreRefusedWithAReason() throws Exception {
        Path file = write("db.cloud.host=h", "db.cloud.username=u", "db.cloud.password=ENC(abcdef)",
                "db.cloud.encrypt.secret=s");
        ConfigException e = assertThrows(ConfigException.class, () -> DbProperties.load(file));
        assertEquals(true, e.getMessage().startsWith(file + ": 'db.cloud.password' is encrypted"), e.getMessage());
    }

    @Test
    void missingEncryptSecretStopsStartUp() throws Exception {
        Path file = write("db.cloud.host=h", "db.cloud.username=u", "db.cloud.password=p");
        ConfigException e = assertThrows(ConfigException.class, () -> DbProperties.load(file));
        assertEquals(file + ": 'db.cloud.encrypt.secret' is missing", e.getMessage());
    }
}
