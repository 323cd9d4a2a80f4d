package io.rbdstack.server.agent;

/** The agent answered, but with something the server cannot read (e.g. an answer type it does not know). */
public class AgentProtocolException extends AgentException {

    public AgentProtocolException(String message) {
        super(message);
    }
}
