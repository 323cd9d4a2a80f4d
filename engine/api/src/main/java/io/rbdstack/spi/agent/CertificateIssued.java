package io.rbdstack.spi.agent;

/**
 * Server → agent: the answer to a {@link CertificateRequest}; the server closes the connection
 * after it, and the agent connects again with the certificate.
 *
 * @param hostId         the host the certificate names
 * @param certificate    PEM, the host's certificate (client authentication only)
 * @param caCertificates PEM, the CA that issued it and every management server's certificate; the
 *                       agent trusts only this from now on
 */
public record CertificateIssued(String hostId, String certificate, String caCertificates) implements AgentMessage {
}
