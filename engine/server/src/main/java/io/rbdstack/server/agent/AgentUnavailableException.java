package io.rbdstack.server.agent;

/** The host is not connected, or its connection was lost before the answer arrived. */
public class AgentUnavailableException extends AgentException {

    public AgentUnavailableException(String message) {
        super(message);
    }

    static AgentUnavailableException notConnected(String hostId) {
        return new AgentUnavailableException("host " + hostId + " is not connected");
    }

    static AgentUnavailableException lost(String hostId, String commandType) {
        return new AgentUnavailableException(
                "connection to host " + hostId + " lost while running " + commandType);
    }
}
