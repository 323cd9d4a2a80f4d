package io.rbdstack.agent.connect;

import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.handler.AgentCommandHandler;
import io.rbdstack.spi.agent.tls.CertificateSigningAnswer;
import io.rbdstack.spi.agent.tls.InstallCertificateCommand;
import io.rbdstack.spi.agent.tls.RenewCertificateCommand;
import java.io.IOException;
import java.util.List;

/**
 * The agent's side of provisionCertificate: a request for a new key pair made here, then the
 * certificate for it stored beside the pinned CA. The agent's own handlers, not a module's: they
 * act on its TLS identity.
 */
public final class CertificateCommandHandlers {

    private CertificateCommandHandlers() {
    }

    public static List<AgentCommandHandler<?>> handlers(AgentCertificates certificates, String hostname) {
        return List.of(
                AgentCommandHandler.of(RenewCertificateCommand.class,
                        renew -> new CertificateSigningAnswer(true, null, certificates.newRequest(hostname))),
                AgentCommandHandler.of(InstallCertificateCommand.class, install -> {
                    try {
                        certificates.install(install.certificate(), install.caCertificates());
                        return GenericAnswer.ok();
                    } catch (IOException e) {
                        return GenericAnswer.failure("cannot install the certificate: " + e.getMessage());
                    }
                }));
    }
}
