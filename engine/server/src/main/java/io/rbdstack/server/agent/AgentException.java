package io.rbdstack.server.agent;

/** Why a command sent to an agent produced no answer. */
public class AgentException extends RuntimeException {

    public AgentException(String message) {
        super(message);
    }
}
