package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Sends commands to connected agents. */
public interface AgentConnections {

    /**
     * Sends a command to the host's agent. The future never completes on a socket thread, so
     * dependent stages may block or send further commands.
     *
     * @return the answer (a failed answer is still a normal completion); or exceptionally with
     *         {@link AgentUnavailableException} when the host is not connected or its connection
     *         is lost before the answer arrives, {@link AgentTimeoutException} when no answer
     *         comes within the timeout, {@link AgentProtocolException} when the answer cannot be read
     */
    CompletableFuture<Answer> send(String hostId, AgentCommand command, Duration timeout);

    boolean isConnected(String hostId);

    /** Commands sent to the host's agent and not answered yet; 0 when it is not connected here. */
    int inFlight(String hostId);
}
