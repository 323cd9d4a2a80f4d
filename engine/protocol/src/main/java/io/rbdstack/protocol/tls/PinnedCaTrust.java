package io.rbdstack.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that trusts one CA and nothing else (not the JDK's public CAs): a peer's chain
 * must end at this CA, be in its validity period and carry the key usage of its role (the JDK's
 * PKIX checks serverAuth for servers and clientAuth for clients).
 */
public final class PinnedCaTrust {

    private PinnedCaTrust() {
    }

    public static X509ExtendedTrustManager of(X509Certificate ca) {
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            anchors.setCertificateEntry("ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust manager for the CA", e);
        }
    }
}
