package io.rbdstack.agent.connect;

import io.rbdstack.protocol.tls.Fingerprints;
import io.rbdstack.protocol.tls.Pem;
import io.rbdstack.server.agent.AgentRefusedException;
import io.rbdstack.server.agent.CertificateBootstrap;
import io.rbdstack.server.ca.CertificateAuthority;
import io.rbdstack.server.ca.CertificateProfile;
import io.rbdstack.server.ca.CertificateRequestVerifier;
import io.rbdstack.server.ca.ManagementServerIdentity;
import io.rbdstack.spi.agent.CertificateIssued;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The built-in CA's pieces for listener-level tests, without a database: a CA, the management
 * server's identity from it, a bootstrap that issues host {@code host-1} its certificate for one
 * token, once, and a set of revoked serials.
 */
final class TestCa {

    final CertificateAuthority ca = CertificateAuthority.generate("test CA", Clock.systemUTC());
    final ManagementServerIdentity identity = ManagementServerIdentity.issue(ca, Duration.ofDays(1));
    final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final Set<String> spentTokens = ConcurrentHashMap.newKeySet();

    SSLContext serverContext() {
        return identity.agentPortContext(certificate -> revoked.contains(CertificateAuthority.serialText(certificate)));
    }

    String fingerprint() {
        return Fingerprints.sha256(ca.certificate());
    }

    CertificateBootstrap bootstrap(String token, String hostId) {
        return request -> {
            if (!request.hostToken().equals(token)) {
                throw new AgentRefusedException("invalid host credential");
            }
            if (!spentTokens.add(token)) {
                throw new AgentRefusedException("this host credential was already used for a certificate");
            }
            try {
                X509Certificate certificate = ca.issue(CertificateRequestVerifier.verifiedPublicKey(request.csr()),
                        CertificateProfile.host(hostId), Duration.ofDays(1));
                return new CertificateIssued(hostId, Pem.encode(certificate), Pem.encode(ca.certificate()));
            } catch (Pem.InvalidPemException e) {
                throw new AgentRefusedException(e.getMessage());
            }
        };
    }

    /** The host a certificate names, if this CA issued it. */
    Optional<String> hostOf(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        return ca.issued(certificate) && subject.startsWith("CN=") ? Optional.of(subject.substring(3)) : Optional.empty();
    }
}
