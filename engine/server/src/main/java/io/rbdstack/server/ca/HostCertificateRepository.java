package io.rbdstack.server.ca;

import io.rbdstack.server.db.Jdbc;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The certificates issued to hosts ({@code host_certificate}) and the revoked ones
 * ({@code revoked_certificate}), by serial.
 */
public final class HostCertificateRepository {

    private final Jdbc jdbc;

    public HostCertificateRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** Records that {@code certificate} was issued to the host with uuid {@code hostUuid}. */
    public void issued(String hostUuid, X509Certificate certificate) {
        jdbc.update("INSERT INTO host_certificate (serial, host_id, not_after, created)"
                        + " SELECT ?, id, ?, ? FROM host WHERE uuid = ?", CertificateAuthority.serialText(certificate),
                certificate.getNotAfter().toInstant(), Instant.now(), hostUuid);
    }

    /**
     * The uuid of the live host {@code certificate} was issued to, if it was issued to one: its
     * serial is on record and its CN is that host's uuid.
     */
    public Optional<String> hostOf(X509Certificate certificate) {
        return jdbc.queryOne("SELECT h.uuid FROM host_certificate c JOIN host h ON h.id = c.host_id"
                        + " WHERE c.serial = ? AND h.removed IS NULL", rs -> rs.getString(1),
                CertificateAuthority.serialText(certificate))
                .filter(uuid -> certificate.getSubjectX500Principal().getName().equals("CN=" + uuid));
    }

    public boolean isRevoked(X509Certificate certificate) {
        return jdbc.queryLong("SELECT COUNT(*) FROM revoked_certificate WHERE serial = ?",
                CertificateAuthority.serialText(certificate)) > 0;
    }

    /** Revokes every certificate of the host; how many were not revoked before. */
    public int revokeAll(String hostUuid, String reason) {
        return revoke(hostUuid, "", reason);
    }

    /** Revokes the host's certificates other than {@code keep} (a renewal superseded them). */
    public int revokeAllBut(String hostUuid, X509Certificate keep, String reason) {
        return revoke(hostUuid, CertificateAuthority.serialText(keep), reason);
    }

    private int revoke(String hostUuid, String keepSerial, String reason) {
        List<String> serials = jdbc.query("SELECT c.serial FROM host_certificate c JOIN host h ON h.id = c.host_id"
                        + " WHERE h.uuid = ? AND c.serial <> ? AND c.serial NOT IN (SELECT serial FROM revoked_certificate)",
                rs -> rs.getString(1), hostUuid, keepSerial);
        Instant now = Instant.now();
        for (String serial : serials) {
            jdbc.update("INSERT INTO revoked_certificate (serial, reason, revoked) VALUES (?, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE serial = serial", serial, reason, now);
        }
        return serials.size();
    }
}
