package io.rbdstack.server;

import com.zaxxer.hikari.HikariDataSource;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.auth.crypto.SecretDecryptionException;
import io.rbdstack.server.config.DbProperties;
import io.rbdstack.server.config.ServerConfig;
import io.rbdstack.server.db.ConnectionPools;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.rotation.EncryptedColumn;
import io.rbdstack.server.rotation.SecretFiles;
import io.rbdstack.server.rotation.SecretReencryption;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * {@code rbdstack-server [--config-dir DIR] rotate-encrypt-secret NEW_SECRET_FILE}: re-encrypts every
 * stored secret with a new {@code db.cloud.encrypt.secret}, then writes it where the server reads it
 * (db.properties, or the embedded database's secret file). Every management server must be stopped:
 * one still running would keep using the old key.
 */
final class EncryptSecretRotation {

    private EncryptSecretRotation() {
    }

    /** @return the process exit code */
    static int run(ServerConfig config, Path newSecretFile, PrintStream out) throws Exception {
        String newSecret = Files.readString(newSecretFile, StandardCharsets.UTF_8).strip();
        if (newSecret.length() < 16) {
            out.println("rbdstack: the new secret in " + newSecretFile + " must have at least 16 characters");
            return 1;
        }
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            DbProperties db = ManagementServer.database(config, resources);
            if (newSecret.equals(db.encryptSecret().reveal())) {
                out.println("rbdstack: the new secret is the one in use; nothing to do");
                return 1;
            }
            HikariDataSource pool = ConnectionPools.open(db);
            resources.push(pool);
            Jdbc jdbc = new Jdbc(pool);
            List<String> running = jdbc.query("SELECT name FROM mshost WHERE state = 'Up' AND removed IS NULL"
                    + " AND last_update > ?", rs -> rs.getString(1),
                    Instant.now().minus(config.mshostHeartbeat().multipliedBy(3)));
            if (!running.isEmpty()) {
                out.println("rbdstack: stop every management server first; still running: " + String.join(", ", running));
                return 1;
            }
            int count;
            try {
                count = new SecretReencryption(jdbc, EncryptedColumn.ALL)
                        .reencrypt(new SecretCipher(db.encryptSecret().reveal()), new SecretCipher(newSecret));
            } catch (SecretDecryptionException e) {
                out.println("rbdstack: " + e.getMessage());
                return 1;
            }
            out.println(count + " stored secret(s) re-encrypted with the new db.cloud.encrypt.secret");
            try {
                if (config.db().isPresent()) {
                    SecretFiles.replaceProperty(db.source(), DbProperties.ENCRYPT_SECRET, newSecret);
                    out.println(db.source() + " now holds the new " + DbProperties.ENCRYPT_SECRET);
                } else {
                    Path file = EmbeddedSecrets.file(config.embeddedDbDir());
                    SecretFiles.replaceFile(file, newSecret);
                    out.println(file + " now holds the new " + DbProperties.ENCRYPT_SECRET);
                }
            } catch (java.io.IOException e) {
                out.println("rbdstack: the database now uses the secret in " + newSecretFile + ", but it could not be"
                        + " written where the server reads it (" + e.getMessage() + "): set "
                        + DbProperties.ENCRYPT_SECRET + " to it by hand before starting the server");
                return 1;
            }
            return 0;
        } finally {
            ManagementServer.closeAll(resources);
        }
    }
}
