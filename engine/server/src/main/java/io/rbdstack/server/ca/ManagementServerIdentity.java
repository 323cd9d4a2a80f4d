package io.rbdstack.server.ca;

import io.rbdstack.protocol.tls.KeyPairs;
import io.rbdstack.protocol.tls.PinnedCaTrust;
import io.rbdstack.protocol.tls.TlsContexts;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * This management server's own key and certificate, made at each start and kept in memory only:
 * a new key pair, and a certificate from the CA naming {@value TlsContexts#MANAGEMENT_SERVER_NAME}
 * (what agents check) and every name and address of this machine (what HTTPS clients check).
 */
public record ManagementServerIdentity(PrivateKey key, X509Certificate certificate, X509Certificate ca) {

    public static ManagementServerIdentity issue(CertificateAuthority authority, Duration validity) {
        KeyPair keys = KeyPairs.generate();
        X509Certificate certificate = authority.issue(keys.getPublic(),
                CertificateProfile.managementServer(localNames(), localAddresses()), validity);
        return new ManagementServerIdentity(keys.getPrivate(), certificate, authority.certificate());
    }

    @Override
    public String toString() {
        return "ManagementServerIdentity[" + certificate.getSubjectX500Principal().getName() + ", key=******]";
    }

    public X509Certificate[] chain() {
        return new X509Certificate[] {certificate, ca};
    }

    /**
     * The agent port's context: this identity, and client certificates checked against the CA and
     * the revoked serials.
     */
    public SSLContext agentPortContext(Predicate<X509Certificate> revoked) {
        return TlsContexts.of(key, chain(), new RevocationCheckingTrustManager(PinnedCaTrust.of(ca), revoked));
    }

    /**
     * The HTTPS port's context: this identity, no client certificates. TLS 1.2 is allowed there
     * besides 1.3, for the browsers and API clients of all ages that CloudStack users bring.
     */
    public SSLContext httpsContext() {
        try {
            char[] password = new char[0];
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("self", key, password, chain());
            javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the HTTPS context", e);
        }
    }

    private static List<String> localNames() {
        Set<String> names = new LinkedHashSet<>(List.of("localhost"));
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName());
            names.add(local.getCanonicalHostName());
        } catch (UnknownHostException e) {
            // a machine without a resolvable name: clients use its addresses
        }
        names.removeIf(name -> name.isBlank() || Character.isDigit(name.charAt(0)) || name.contains(":"));
        return new ArrayList<>(names);
    }

    private static List<InetAddress> localAddresses() {
        Set<InetAddress> addresses = new LinkedHashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            addresses.add(InetAddress.getLoopbackAddress());
        }
        return new ArrayList<>(addresses);
    }
}
