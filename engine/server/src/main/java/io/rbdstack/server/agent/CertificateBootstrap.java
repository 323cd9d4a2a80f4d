package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.CertificateIssued;
import io.rbdstack.spi.agent.CertificateRequest;

/** Issues a host its first certificate against its one-time addHost credential. */
@FunctionalInterface
public interface CertificateBootstrap {

    /** For a listener that issues no certificates (plain-TCP tests). */
    CertificateBootstrap NONE = request -> {
        throw new AgentRefusedException("this management server issues no certificates");
    };

    /**
     * Called on the connection's own thread, so it may block on the database.
     *
     * @throws AgentRefusedException with the reason the agent is told (never quoting the token)
     */
    CertificateIssued issue(CertificateRequest request) throws AgentRefusedException;
}
