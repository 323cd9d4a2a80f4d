package io.rbdstack.server.agent;

/** An agent's request refused, with the reason the agent is sent in its {@code rejected}. */
public final class AgentRefusedException extends Exception {

    public AgentRefusedException(String reason) {
        super(reason);
    }
}
