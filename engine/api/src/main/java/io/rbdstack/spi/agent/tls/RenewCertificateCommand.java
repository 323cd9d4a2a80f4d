package io.rbdstack.spi.agent.tls;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.AgentCommand;

/**
 * provisionCertificate, step 1: the agent makes a new key pair (kept in memory until step 2) and
 * answers a {@link CertificateSigningAnswer} with a request for it.
 */
@JsonTypeName("certificate.renew")
public record RenewCertificateCommand() implements AgentCommand {
}
