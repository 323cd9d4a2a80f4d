package io.rbdstack.agent;

/** A problem in agent.properties found at start-up; the message is the one line an operator needs. */
public final class AgentConfigException extends Exception {

    public AgentConfigException(String message) {
        super(message);
    }

    public AgentConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
