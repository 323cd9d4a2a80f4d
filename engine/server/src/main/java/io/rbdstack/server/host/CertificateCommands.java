package io.rbdstack.server.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.protocol.tls.Pem;
import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.AgentException;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.ca.HostCertificateRepository;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.tls.CertificateSigningAnswer;
import io.rbdstack.spi.agent.tls.InstallCertificateCommand;
import io.rbdstack.spi.agent.tls.RenewCertificateCommand;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** CloudStack's CA commands (4.11+): listCaCertificate and provisionCertificate. */
public final class CertificateCommands {

    static final Duration AGENT_TIMEOUT = Duration.ofSeconds(30);

    private CertificateCommands() {
    }

    /** What the certificate commands need. */
    public record Deps(HostCertificateIssuer issuer, HostCertificateRepository certificates, AgentConnections agents) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(ListCaCertificate.class, deps);
        registry.register(ProvisionCertificate.class, deps);
    }

    /** The CA's certificate, which API clients pin for HTTPS and agents pinned at their bootstrap. */
    @Command(name = "listCaCertificate", description = "Lists the CA public certificate(s) as support by the"
            + " configured/provided CA plugin", access = Access.USER, response = "cacertificates")
    record ListCaCertificate(@Param(description = "Name of the CA service provider; only root (the built-in CA)")
                             Optional<String> provider) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            checkProvider(provider);
            ObjectNode certificate = ApiJson.MAPPER.createObjectNode();
            certificate.put("certificate", deps.issuer().caPem());
            ObjectNode body = ApiJson.MAPPER.createObjectNode();
            body.set("cacertificates", certificate);
            return body;
        }
    }

    /**
     * Renews a connected host's certificate over its mutual-TLS connection: the agent makes a new
     * key pair and a request for it, the CA issues the certificate, the agent stores both; the
     * host's earlier certificates are then revoked.
     */
    @Command(name = "provisionCertificate", description = "Issues and propagates client certificate on a connected"
            + " host/agent using configured CA plugin", access = Access.ADMIN, response = "success",
            event = "CA.CERTIFICATE.PROVISION")
    record ProvisionCertificate(
            @Param(description = "The host/agent uuid to which the certificate has to be provisioned (issued and"
                    + " propagated)", entity = Entity.HOST) String hostId,
            @Param(description = "Whether to attempt reconnection with host/agent after successful deployment of"
                    + " certificate (default true)") Optional<Boolean> reconnect,
            @Param(description = "Name of the CA service provider; only root (the built-in CA)") Optional<String> provider)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            checkProvider(provider);
            return new AsyncStart("Host", hostId, progress -> {
                Answer request = ask(deps.agents(), hostId, new RenewCertificateCommand());
                if (!(request instanceof CertificateSigningAnswer csr) || !request.success()) {
                    throw ApiException.unavailable("Host " + hostId + " made no certificate request: "
                            + request.details());
                }
                progress.report(33);
                X509Certificate certificate;
                try {
                    certificate = deps.issuer().renew(hostId, csr.csr());
                } catch (Pem.InvalidPemException e) {
                    throw ApiException.internal("Host " + hostId + " sent an unusable certificate request: "
                            + e.getMessage(), e);
                }
                progress.report(66);
                Answer installed = ask(deps.agents(), hostId,
                        new InstallCertificateCommand(Pem.encode(certificate), deps.issuer().caPem()));
                if (!installed.success()) {
                    throw ApiException.unavailable("Host " + hostId + " did not install its certificate: "
                            + installed.details());
                }
                deps.certificates().revokeAllBut(hostId, certificate, "superseded by provisionCertificate");
                if (reconnect.orElse(true)) {
                    deps.agents().disconnect(hostId, "certificate renewed: the agent reconnects with it");
                }
                return ApiJson.success();
            });
        }
    }

    private static void checkProvider(Optional<String> provider) {
        if (provider.isPresent() && !provider.get().equalsIgnoreCase("root")) {
            throw ApiException.invalidParameter("Invalid value '" + provider.get()
                    + "' for parameter provider: the only CA provider is root");
        }
    }

    private static Answer ask(AgentConnections agents, String hostId, AgentCommand command)
            throws InterruptedException {
        try {
            return agents.send(hostId, command, AGENT_TIMEOUT).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AgentException) {
                throw ApiException.unavailable("Cannot reach host " + hostId + ": " + cause.getMessage());
            }
            throw ApiException.internal("provisionCertificate failed for host " + hostId + ": " + cause.getMessage(),
                    cause);
        }
    }
}
