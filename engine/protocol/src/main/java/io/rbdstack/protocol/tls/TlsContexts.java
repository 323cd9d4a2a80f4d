package io.rbdstack.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;

/** TLS 1.3 contexts of the agent port, for both sides, from a key, its chain and a trust manager. */
public final class TlsContexts {

    /** The only protocol the agent port speaks: both ends are ours, so nothing older is needed. */
    public static final String PROTOCOL = "TLSv1.3";
    /**
     * The name agents check the management server's certificate against (a SAN every management
     * server certificate carries and no host certificate does), whatever address they dial: so a
     * server can move or sit behind NAT without new certificates.
     */
    public static final String MANAGEMENT_SERVER_NAME = "rbdstack-management";

    private TlsContexts() {
    }

    /**
     * @param key   this side's private key, or null for a side without a certificate (an agent before
     *              its bootstrap)
     * @param chain this side's certificate first, then its issuers
     */
    public static SSLContext of(PrivateKey key, X509Certificate[] chain, X509TrustManager trust) {
        try {
            KeyManager[] keyManagers = null;
            if (key != null) {
                char[] password = new char[0]; // an in-memory store only: the password protects nothing
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("self", key, password, chain);
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(store, password);
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keyManagers, new javax.net.ssl.TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /** Restricts a socket to TLS 1.3. */
    public static void onlyTls13(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(new String[] {PROTOCOL});
        socket.setSSLParameters(parameters);
    }
}
