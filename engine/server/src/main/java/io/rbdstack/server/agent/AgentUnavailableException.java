package io.rbdstack.server.agent;

/** The host is not connected, or its connection was lost before the answer arrived. */
public class AgentUnavailableException extends AgentException {

    private final boolean neverSent;

    public AgentUnavailableException(String message) {
        this(message, false);
    }

    private AgentUnavailableException(String message, boolean neverSent) {
        super(message);
        this.neverSent = neverSent;
    }

    /**
     * True when no agent can have started the command: it never left this server (the host was not connected,
     * or its connection was closed before the request was written), or the agent answered that it is stopping
     * and did not run it; false when it may have.
     */
    public boolean neverSent() {
        return neverSent;
    }

    public static AgentUnavailableException notConnected(String hostId) {
        return new AgentUnavailableException("host " + hostId + " is not connected", true);
    }

    /** The connection was closed before this request was registered on it: the request was not written. */
    static AgentUnavailableException closedBeforeSending(String hostId, String commandType) {
        return new AgentUnavailableException("connection to host " + hostId + " closed before " + commandType
                + " was sent", true);
    }

    /** The agent is stopping (TERM/INT) and answered {@code stopping}: it did not run the command. */
    public static AgentUnavailableException stopping(String hostId, String details) {
        return new AgentUnavailableException("host " + hostId + ": " + details, true);
    }

    /** The host's agent said it is stopping, so the command was not sent: it would only have refused it. */
    public static AgentUnavailableException notSentToStopping(String hostId, String commandType) {
        return new AgentUnavailableException("host " + hostId + " is stopping and takes no new commands: " + commandType
                + " was not sent", true);
    }

    public static AgentUnavailableException lost(String hostId, String commandType) {
        return new AgentUnavailableException(
                "connection to host " + hostId + " lost while running " + commandType);
    }
}
