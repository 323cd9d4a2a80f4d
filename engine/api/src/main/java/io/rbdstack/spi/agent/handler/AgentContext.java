package io.rbdstack.spi.agent.handler;

import io.rbdstack.spi.agent.HostInfo;

/** What an agent offers the handler factories it starts. */
public interface AgentContext {

    /** The name the agent reports for its host. */
    String hostname();

    /** The host's facts as they are now. */
    HostInfo hostInfo();

    /**
     * One of the agent's own services (its hypervisor connection, its storage clients…). Which
     * types an agent offers is that agent's business: the handlers that need them ship with it.
     *
     * @throws IllegalStateException when the agent offers no service of that type
     */
    <T> T service(Class<T> type);

    /**
     * Runs {@code action} each time the management server welcomes the agent, before any request
     * of that connection runs: the place to restore what the host lost while the agent was away.
     */
    void onConnected(Runnable action);
}
