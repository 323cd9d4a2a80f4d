package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.Hello;
import java.security.cert.X509Certificate;
import java.util.Optional;

/** Decides which host, if any, a connecting agent is. Implemented against the host table. */
@FunctionalInterface
public interface HostAuthenticator {

    /**
     * A plain-TCP agent, by its addHost credential. Called on the connection's own thread, so it
     * may block on the database.
     *
     * @param hostToken the credential from the hello; must never be logged
     * @return the host's id (a UUID string), or empty to reject the agent with
     *         "invalid host credential"
     */
    Optional<String> authenticate(String hostToken, Hello hello);

    /**
     * A mutual-TLS agent, by its client certificate (already checked against the CA and the revoked
     * serials during the handshake). None by default: a listener of plain-TCP tests.
     *
     * @return the host's id, or empty to reject the agent with "unknown host certificate"
     */
    default Optional<String> authenticate(X509Certificate certificate, Hello hello) {
        return Optional.empty();
    }
}
