package io.rbdstack.server.ca;

import io.rbdstack.protocol.tls.TlsContexts;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * What one certificate the CA issues says: its subject's common name, the one TLS role it may play
 * and its alternative names. The two kinds never overlap, so a host's certificate can never pass
 * for a management server's: hosts get client authentication and no names, management servers
 * server authentication and {@value TlsContexts#MANAGEMENT_SERVER_NAME} among their names.
 */
public record CertificateProfile(String commonName, KeyPurposeId purpose, List<String> dnsNames,
                                 List<InetAddress> addresses) {

    public CertificateProfile {
        Objects.requireNonNull(commonName, "commonName");
        Objects.requireNonNull(purpose, "purpose");
        dnsNames = List.copyOf(dnsNames);
        addresses = List.copyOf(addresses);
    }

    /** A KVM host's: its CN is the host's uuid, which maps a client certificate to its host row. */
    public static CertificateProfile host(String hostUuid) {
        return new CertificateProfile(hostUuid, KeyPurposeId.id_kp_clientAuth, List.of(), List.of());
    }

    /**
     * A management server's, for the agent port and HTTPS: the fixed name agents check, plus the
     * names and addresses browsers and API clients may use.
     */
    public static CertificateProfile managementServer(List<String> dnsNames, List<InetAddress> addresses) {
        List<String> names = new ArrayList<>();
        names.add(TlsContexts.MANAGEMENT_SERVER_NAME);
        dnsNames.stream().filter(name -> !names.contains(name)).forEach(names::add);
        return new CertificateProfile(TlsContexts.MANAGEMENT_SERVER_NAME, KeyPurposeId.id_kp_serverAuth, names,
                addresses);
    }
}
