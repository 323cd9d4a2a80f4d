package io.rbdstack.server.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.rbdstack.dbupgrade.DbUpgrader;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.config.DbProperties;
import io.rbdstack.server.db.ConnectionPools;
import io.rbdstack.server.db.Jdbc;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Management servers starting together on an empty CA table end up with one CA, whose key is kept
 * encrypted; a later start reads it back.
 */
class CertificateAuthorityRepositoryIT {

    @TempDir
    Path dir;

    @Test
    void serversRacingAtFirstStartShareOneCaWithItsKeyEncrypted() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            DbProperties properties = DbProperties.load(db.writeDbProperties(dir, "serverTimezone=UTC"));
            try (HikariDataSource pool = ConnectionPools.open(properties)) {
                new DbUpgrader(pool).upgrade();
                Jdbc jdbc = new Jdbc(pool);
                SecretCipher cipher = new SecretCipher(properties.encryptSecret().reveal());
                int servers = 4;
                CountDownLatch start = new CountDownLatch(1);
                ExecutorService threads = Executors.newFixedThreadPool(servers);
                try {
                    List<Future<CertificateAuthority>> results = new java.util.ArrayList<>();
                    for (int i = 0; i < servers; i++) {
                        results.add(threads.submit(() -> {
                            start.await();
                            return new CertificateAuthorityRepository(jdbc, cipher, Clock.systemUTC()).loadOrCreate();
                        }));
                    }
                    start.countDown();
                    CertificateAuthority first = results.get(0).get(30, TimeUnit.SECONDS);
                    for (Future<CertificateAuthority> result : results) {
                        assertEquals(first.certificate(), result.get(30, TimeUnit.SECONDS).certificate());
                        assertEquals(first.privateKey(), result.get().privateKey());
                    }
                } finally {
                    threads.shutdownNow();
                }
                assertEquals(1, jdbc.queryLong("SELECT COUNT(*) FROM ca_certificate"));
                String stored = jdbc.queryOne("SELECT private_key FROM ca_certificate", rs -> rs.getString(1)).orElseThrow();
                assertTrue(stored.startsWith(SecretCipher.PREFIX), "encrypted with db.cloud.encrypt.secret");
                assertFalse(stored.contains("PRIVATE KEY"));
            }
        }
    }
}
