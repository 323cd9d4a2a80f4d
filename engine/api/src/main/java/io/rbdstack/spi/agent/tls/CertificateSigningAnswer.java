package io.rbdstack.spi.agent.tls;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/** The agent's PEM PKCS#10 request for the key pair a {@link RenewCertificateCommand} made. */
@JsonTypeName("certificate.csr")
public record CertificateSigningAnswer(boolean success, String details, String csr) implements Answer {
}
