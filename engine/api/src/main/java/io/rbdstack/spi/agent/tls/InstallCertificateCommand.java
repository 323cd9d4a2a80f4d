package io.rbdstack.spi.agent.tls;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * provisionCertificate, step 2: the certificate issued for the key pair of step 1. The agent
 * checks it matches that key and the CA it pinned, stores key and certificate, and uses them from
 * its next connection on. Answered by a generic answer.
 */
@JsonTypeName("certificate.install")
public record InstallCertificateCommand(String certificate, String caCertificates) implements AgentCommand {
}
