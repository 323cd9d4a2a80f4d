package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.Hello;
import java.util.Optional;

/** Decides which host, if any, a connecting agent is. Implemented against the host table. */
@FunctionalInterface
public interface HostAuthenticator {

    /**
     * Called on the connection's own thread, so it may block on the database.
     *
     * @param hostToken the credential from the hello; must never be logged
     * @return the host's id (a UUID string), or empty to reject the agent with
     *         "invalid host credential"
     */
    Optional<String> authenticate(String hostToken, Hello hello);
}
