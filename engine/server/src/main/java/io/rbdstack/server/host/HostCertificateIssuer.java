package io.rbdstack.server.host;

import io.rbdstack.protocol.tls.Pem;
import io.rbdstack.server.agent.AgentRefusedException;
import io.rbdstack.server.agent.CertificateBootstrap;
import io.rbdstack.server.auth.crypto.SecretCipher;
import io.rbdstack.server.ca.CertificateAuthority;
import io.rbdstack.server.ca.CertificateProfile;
import io.rbdstack.server.ca.CertificateRequestVerifier;
import io.rbdstack.server.ca.HostCertificateRepository;
import io.rbdstack.spi.agent.CertificateIssued;
import io.rbdstack.spi.agent.CertificateRequest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues hosts their certificates: the first against the one-time addHost credential (which is
 * spent by it), later ones through provisionCertificate. Each is named after the host's uuid and
 * recorded, so the agent port maps a client certificate to its host.
 */
public final class HostCertificateIssuer implements CertificateBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(HostCertificateIssuer.class);

    private final HostRepository hosts;
    private final HostCertificateRepository certificates;
    private final CertificateAuthority ca;
    private final Supplier<Duration> validity;

    /** @param validity read at each issue (ca.framework.cert.validity.period) */
    public HostCertificateIssuer(HostRepository hosts, HostCertificateRepository certificates, CertificateAuthority ca,
                                 Supplier<Duration> validity) {
        this.hosts = hosts;
        this.certificates = certificates;
        this.ca = ca;
        this.validity = validity;
    }

    @Override
    public CertificateIssued issue(CertificateRequest request) throws AgentRefusedException {
        PublicKey key;
        try {
            key = CertificateRequestVerifier.verifiedPublicKey(request.csr());
        } catch (Pem.InvalidPemException e) {
            // Checked before the credential is spent: a broken request must not burn it.
            throw new AgentRefusedException("invalid certificate request: " + e.getMessage());
        }
        HostRepository.TokenSpend spend = hosts.spendToken(SecretCipher.sha256Hex(request.hostToken()));
        if (spend instanceof HostRepository.TokenSpend.AlreadySpent reused) {
            LOG.warn("Refused a certificate request for host {} from agent {}: its one-time credential was already"
                    + " used (a second bootstrap, or a stolen credential)", reused.hostUuid(), request.hostname());
            throw new AgentRefusedException("this host credential was already used for a certificate");
        }
        if (!(spend instanceof HostRepository.TokenSpend.Spent spent)) {
            LOG.warn("Refused a certificate request from agent {}: invalid host credential", request.hostname());
            throw new AgentRefusedException("invalid host credential");
        }
        X509Certificate certificate = issueFor(spent.hostUuid(), key);
        return new CertificateIssued(spent.hostUuid(), Pem.encode(certificate), caPem());
    }

    /** A new certificate for a connected host's new key (provisionCertificate). */
    public X509Certificate renew(String hostUuid, String csr) throws Pem.InvalidPemException {
        return issueFor(hostUuid, CertificateRequestVerifier.verifiedPublicKey(csr));
    }

    public String caPem() {
        return Pem.encode(ca.certificate());
    }

    private X509Certificate issueFor(String hostUuid, PublicKey key) {
        X509Certificate certificate = ca.issue(key, CertificateProfile.host(hostUuid), validity.get());
        certificates.issued(hostUuid, certificate);
        LOG.info("Issued certificate {} to host {}, valid until {}", CertificateAuthority.serialText(certificate),
                hostUuid, certificate.getNotAfter().toInstant());
        return certificate;
    }
}
