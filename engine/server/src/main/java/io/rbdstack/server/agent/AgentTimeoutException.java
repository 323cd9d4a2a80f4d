package io.rbdstack.server.agent;

import java.time.Duration;

/** No answer within the command's timeout. The agent may still be running the command. */
public class AgentTimeoutException extends AgentException {

    public AgentTimeoutException(String hostId, String commandType, Duration timeout) {
        super(commandType + " to host " + hostId + " timed out after " + timeout.toMillis() + " ms");
    }
}
