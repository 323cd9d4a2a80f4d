package io.rbdstack.server.ca;

import io.rbdstack.protocol.tls.Pem;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.auth.crypto.SecretDecryptionException;
import io.rbdstack.server.db.Jdbc;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA's row in {@code ca_certificate}: its certificate in PEM and its private key in PKCS#8 PEM
 * encrypted with {@code db.cloud.encrypt.secret}. Every management server of a database shares it.
 */
public final class CertificateAuthorityRepository {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateAuthorityRepository.class);
    /** The CA's common name; the same on every installation, the key is what tells them apart. */
    static final String CA_NAME = "rbdstack CA";

    private final Jdbc jdbc;
    private final SecretCipher cipher;
    private final Clock clock;

    public CertificateAuthorityRepository(Jdbc jdbc, SecretCipher cipher, Clock clock) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.clock = clock;
    }

    /**
     * The stored CA; at the first start of the first server, a new one. Servers starting together
     * each make one, one insert wins on the primary key, and all then read the winner's.
     */
    public CertificateAuthority loadOrCreate() {
        Optional<CertificateAuthority> stored = load();
        if (stored.isPresent()) {
            return stored.get();
        }
        CertificateAuthority fresh = CertificateAuthority.generate(CA_NAME, clock);
        int inserted = jdbc.update("INSERT INTO ca_certificate (id, certificate, private_key, created) VALUES (1, ?, ?, ?)"
                        + " ON DUPLICATE KEY UPDATE id = id", Pem.encode(fresh.certificate()),
                cipher.encrypt(Pem.encodePrivateKey(fresh.privateKey())), Instant.now(clock));
        CertificateAuthority ca = load().orElseThrow(() -> new IllegalStateException("the CA row vanished"));
        if (inserted == 1) {
            LOG.info("Created the certificate authority (certificate SHA-256 {})",
                    io.rbdstack.protocol.tls.Fingerprints.sha256(ca.certificate()));
        }
        return ca;
    }

    private Optional<CertificateAuthority> load() {
        return jdbc.queryOne("SELECT certificate, private_key FROM ca_certificate WHERE id = 1",
                rs -> parse(rs.getString(1), rs.getString(2)));
    }

    private CertificateAuthority parse(String certificate, String encryptedKey) {
        try {
            return CertificateAuthority.of(Pem.certificate(certificate), Pem.privateKey(cipher.decrypt(encryptedKey)),
                    clock);
        } catch (Pem.InvalidPemException | SecretDecryptionException e) {
            throw new IllegalStateException("The stored certificate authority is unreadable: " + e.getMessage(), e);
        }
    }
}
