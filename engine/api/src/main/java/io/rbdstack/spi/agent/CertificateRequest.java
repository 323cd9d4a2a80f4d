package io.rbdstack.spi.agent;

import java.util.Objects;

/**
 * Agent → server, the first and only message of a bootstrap connection (TLS, no client
 * certificate yet): asks for the host's certificate, proving who it is with the one-time
 * credential addHost issued. The server answers {@link CertificateIssued} or {@link Rejected} and
 * closes; the credential is spent either way once accepted.
 *
 * @param hostToken the addHost credential; never logged, so {@link #toString()} masks it
 * @param csr       PEM PKCS#10 request for a key pair made on the host, which never leaves it
 */
public record CertificateRequest(String hostToken, String hostname, String csr) implements AgentMessage {

    public CertificateRequest {
        Objects.requireNonNull(hostToken, "hostToken");
        Objects.requireNonNull(csr, "csr");
    }

    @Override
    public String toString() {
        return "CertificateRequest[hostToken=******, hostname=" + hostname + "]";
    }
}
