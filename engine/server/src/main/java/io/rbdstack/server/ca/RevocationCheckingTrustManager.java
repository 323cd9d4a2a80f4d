package io.rbdstack.server.ca;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent port's trust: a client certificate must chain to the CA (the delegate's PKIX check:
 * signature, validity, clientAuth) and its serial must not be revoked, looked up at every handshake
 * so a deleted host's agent is refused the moment the host is gone.
 */
public final class RevocationCheckingTrustManager extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationCheckingTrustManager.class);

    private final X509ExtendedTrustManager ca;
    private final Predicate<X509Certificate> revoked;

    public RevocationCheckingTrustManager(X509ExtendedTrustManager ca, Predicate<X509Certificate> revoked) {
        this.ca = ca;
        this.revoked = revoked;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            ca.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            LOG.warn("Refused an agent certificate from {}: {}", peer(socket), e.getMessage());
            throw e;
        }
        checkNotRevoked(chain[0], peer(socket));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        ca.checkClientTrusted(chain, authType, engine);
        checkNotRevoked(chain[0], engine == null ? "?" : engine.getPeerHost());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        ca.checkClientTrusted(chain, authType);
        checkNotRevoked(chain[0], "?");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        ca.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        ca.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        ca.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return ca.getAcceptedIssuers();
    }

    private void checkNotRevoked(X509Certificate certificate, String peer) throws CertificateException {
        boolean isRevoked;
        try {
            isRevoked = revoked.test(certificate);
        } catch (RuntimeException e) {
            // Fail closed: a certificate we cannot check is not accepted.
            throw new CertificateException("cannot check whether certificate " + serial(certificate)
                    + " is revoked: " + e.getMessage(), e);
        }
        if (isRevoked) {
            LOG.warn("Refused the revoked certificate {} ({}) from {}", serial(certificate),
                    certificate.getSubjectX500Principal().getName(), peer);
            throw new CertificateException("certificate " + serial(certificate) + " is revoked");
        }
    }

    private static String serial(X509Certificate certificate) {
        return CertificateAuthority.serialText(certificate);
    }

    private static String peer(Socket socket) {
        return socket == null ? "?" : String.valueOf(socket.getRemoteSocketAddress());
    }
}
