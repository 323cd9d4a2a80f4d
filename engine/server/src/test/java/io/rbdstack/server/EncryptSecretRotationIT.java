package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.auth.crypto.SecretDecryptionException;
import io.rbdstack.server.config.ServerConfig;
import io.rbdstack.server.imagestore.StoredStoreUrl;
import io.rbdstack.spi.Secret;
import io.rbdstack.spi.storage.StoreCredentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rotate-encrypt-secret on the real database: refused while a server runs; re-encrypts every stored
 * secret (an S3 store's secret key within its url column too) and writes the new secret into
 * db.properties, after which the server starts, API keys still verify and the S3 store's keys read;
 * a value the old secret cannot read changes nothing.
 */
class EncryptSecretRotationIT {

    private static final String CEPHX_KEY = "AQBrEhhlAAAAABAAmxyG1tHyr0BCHOVJmPXvMQ==";
    private static final String S3_URL = "http://rgw.example:7480/backups";
    private static final String S3_ACCESS_KEY = "ACCESS:KEY/with+chars";
    private static final String S3_SECRET_KEY = "Rgw/Secret+Key=with:colons-0123456789";

    @TempDir
    Path dir;

    @Test
    void everyStoredSecretMovesToTheNewKeyAndTheServerRunsOnIt() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Path config = TestServer.prepareConfig(dir.resolve("conf"));
            Path dbProperties = db.writeDbProperties(config, "serverTimezone=UTC");
            String oldSecret = encryptSecret(dbProperties);
            Path newSecretFile = Files.writeString(dir.resolve("new.secret"), "a-new-encrypt-secret-0123456789\n");
            JsonNode keys;
            try (TestServer server = new TestServer(config)) {
                keys = userKeys(server);
                stagePoolSecret(db, server, new SecretCipher(oldSecret).encrypt(CEPHX_KEY));
                stageS3Store(db, new SecretCipher(oldSecret));
                Rotation refused = rotate(config, newSecretFile);
                assertEquals(1, refused.exitCode());
                assertTrue(refused.output().contains("stop every management server first"), refused.output());
            }

            Rotation done = rotate(config, newSecretFile);
            assertEquals(0, done.exitCode(), done.output());
            // The API secret key, the cephx key, the built-in CA's private key (the next start decrypts it) and the
            // S3 store's secret key.
            assertTrue(done.output().startsWith("4 stored secret(s) re-encrypted"), done.output());
            String newSecret = encryptSecret(dbProperties);
            assertEquals("a-new-encrypt-secret-0123456789", newSecret);
            String stored = poolSecret(db);
            assertEquals(CEPHX_KEY, new SecretCipher(newSecret).decrypt(stored));
            assertThrows(SecretDecryptionException.class, () -> new SecretCipher(oldSecret).decrypt(stored));
            String storeColumn = storeColumn(db);
            StoredStoreUrl store = StoredStoreUrl.read(storeColumn, new SecretCipher(newSecret));
            assertEquals(S3_URL, store.url());
            assertEquals(S3_ACCESS_KEY, store.credentials().accessKey());
            assertEquals(S3_SECRET_KEY, store.credentials().secretKey().reveal());
            assertThrows(SecretDecryptionException.class, () -> StoredStoreUrl.read(storeColumn,
                    new SecretCipher(oldSecret)));

            try (TestServer server = new TestServer(config)) {
                ApiClient alice = ApiClient.withKeys(server.baseUrl(), keys.get("apikey").asText(),
                        keys.get("secretkey").asText());
                assertEquals(200, alice.call("listZones").status());
                // The server reads the store's keys with the new secret.
                JsonNode stores = server.admin.call("listImageStores", "name", "s3").response("listImageStores")
                        .get("imagestore");
                assertEquals(1, stores.size(), stores.toString());
                assertEquals(S3_URL, stores.get(0).get("url").asText());
            }
        }
    }

    @Test
    void aCephxKeyTheOldSecretCannotReadChangesNothing() throws Exception {
        anUnreadableValueChangesNothing(true, "storage_pool_details.value");
    }

    @Test
    void anS3SecretKeyTheOldSecretCannotReadChangesNothing() throws Exception {
        anUnreadableValueChangesNothing(false, "image_store.url");
    }

    /**
     * A rotation where one stored value was encrypted with another secret (the pool's cephx key when
     * {@code poolUnreadable}, else the S3 store's secret key, which is re-encrypted last): it fails naming
     * {@code column}, and every stored secret, and db.properties, stay as they were.
     */
    private void anUnreadableValueChangesNothing(boolean poolUnreadable, String column) throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            Path config = TestServer.prepareConfig(dir.resolve("conf"));
            Path dbProperties = db.writeDbProperties(config, "serverTimezone=UTC");
            String oldSecret = encryptSecret(dbProperties);
            SecretCipher other = new SecretCipher("some-other-secret-entirely");
            try (TestServer server = new TestServer(config)) {
                userKeys(server);
                stagePoolSecret(db, server, (poolUnreadable ? other : new SecretCipher(oldSecret)).encrypt(CEPHX_KEY));
                stageS3Store(db, poolUnreadable ? new SecretCipher(oldSecret) : other);
            }
            List<String> before = List.of(userSecret(db), poolSecret(db), storeColumn(db));
            Rotation failed = rotate(config, Files.writeString(dir.resolve("new.secret"), "another-new-secret-0123456"));
            assertEquals(1, failed.exitCode());
            assertTrue(failed.output().contains(column) && failed.output().contains("nothing was changed"),
                    failed.output());
            assertEquals(oldSecret, encryptSecret(dbProperties));
            assertEquals(before, List.of(userSecret(db), poolSecret(db), storeColumn(db)));
        }
    }

    private record Rotation(int exitCode, String output) {
    }

    private static Rotation rotate(Path config, Path newSecretFile) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = EncryptSecretRotation.run(ServerConfig.load(config), newSecretFile,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Rotation(code, out.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode userKeys(TestServer server) throws Exception {
        JsonNode account = server.admin.call("createAccount", "username", "alice", "password", "alice-pw-1", "email",
                "a@example.com", "firstname", "A", "lastname", "A").response("createAccount").get("account");
        ApiClient alice = ApiClient.login(server.baseUrl(), "alice", "alice-pw-1");
        return alice.call("registerUserKeys", "id", account.get("user").get(0).get("id").asText())
                .response("registerUserKeys").get("userkeys");
    }

    private static void stagePoolSecret(TestDatabase db, TestServer server, String encrypted) throws Exception {
        String zone = server.admin.call("createZone", "name", "z", "dns1", "10.0.0.2", "internaldns1", "10.0.0.3",
                "networktype", "Advanced").response("createZone").get("zone").get("id").asText();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                    + " host_address, path, status, created) SELECT UUID(), 'sp', 'RBD', 'ZONE', id, 'RBD', 'mon', 'rbd',"
                    + " 'Up', UTC_TIMESTAMP() FROM data_center WHERE uuid = '" + zone + "'");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO storage_pool_details (pool_id, name, value,"
                    + " encrypted, display) SELECT id, 'secret', ?, 1, 0 FROM storage_pool WHERE name = 'sp'")) {
                ps.setString(1, encrypted);
                ps.executeUpdate();
            }
        }
    }

    /** An S3 image store as addImageStoreS3 stores it: its keys in the url column, the secret key encrypted. */
    private static void stageS3Store(TestDatabase db, SecretCipher cipher) throws Exception {
        String column = new StoredStoreUrl(S3_URL, new StoreCredentials(S3_ACCESS_KEY, Secret.of(S3_SECRET_KEY)))
                .column(cipher);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO image_store (uuid,"
                + " name, protocol, url, data_center_id, image_provider_name, created) SELECT UUID(), 's3', 'http', ?,"
                + " id, 'S3', UTC_TIMESTAMP() FROM data_center WHERE name = 'z'")) {
            ps.setString(1, column);
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static String storeColumn(TestDatabase db) throws Exception {
        return single(db, "SELECT url FROM image_store WHERE name = 's3'");
    }

    private static String poolSecret(TestDatabase db) throws Exception {
        return single(db, "SELECT value FROM storage_pool_details WHERE encrypted = 1");
    }

    private static String userSecret(TestDatabase db) throws Exception {
        return single(db, "SELECT secret_key FROM user WHERE secret_key IS NOT NULL");
    }

    private static String single(TestDatabase db, String sql) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static String encryptSecret(Path dbProperties) throws Exception {
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(dbProperties)) {
            p.load(reader);
        }
        return p.getProperty("db.cloud.encrypt.secret");
    }
}
