package io.rbdstack.agent.connect;

import io.rbdstack.protocol.tls.Fingerprints;
import io.rbdstack.protocol.tls.PinnedCaTrust;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's trust at its bootstrap, before it has pinned a CA. With the CA fingerprint addHost
 * showed (agent.properties {@code ca.fingerprint}), the server's chain must contain that CA and be
 * valid under it; without one, the agent trusts the CA the server presents on this first
 * connection only (trust on first use) and pins it. Either way the server's certificate must be a
 * management server's (the fixed name, serverAuth), checked as under a pinned CA.
 */
final class BootstrapTrust extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(BootstrapTrust.class);

    private final Optional<String> caFingerprint;

    BootstrapTrust(Optional<String> caFingerprint) {
        this.caFingerprint = caFingerprint;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        PinnedCaTrust.of(ca(chain)).checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        PinnedCaTrust.of(ca(chain)).checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        PinnedCaTrust.of(ca(chain)).checkServerTrusted(chain, authType);
    }

    /** The CA this bootstrap trusts in the server's chain. */
    private X509Certificate ca(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length < 2) {
            throw new CertificateException("the management server sent no CA certificate with its own");
        }
        if (caFingerprint.isPresent()) {
            for (X509Certificate certificate : chain) {
                if (Fingerprints.matches(caFingerprint.get(), certificate)) {
                    return certificate;
                }
            }
            throw new CertificateException("the management server's CA is not the one of ca.fingerprint (it has "
                    + Fingerprints.sha256(chain[chain.length - 1]) + ")");
        }
        X509Certificate ca = chain[chain.length - 1];
        LOG.warn("No ca.fingerprint configured: trusting the management server's CA {} on first use",
                Fingerprints.sha256(ca));
        return ca;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("an agent trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("an agent trusts no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an agent trusts no clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
