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
    default CompletableFuture<Answer> send(String hostId, AgentCommand command, Duration timeout) {
        return send(hostId, command, timeout, RequestProgress.IGNORED);
    }

    /**
     * {@link #send(String, AgentCommand, Duration)}, handing each {@code progress} message the agent sends
     * while it runs the command to {@code progress} (never on a socket thread; reports may arrive out of
     * order, a listener keeps the furthest).
     */
    CompletableFuture<Answer> send(String hostId, AgentCommand command, Duration timeout, RequestProgress progress);

    /** Whether the host's agent is connected here, stopping or not (its running commands may still answer). */
    boolean isConnected(String hostId);

    /**
     * Whether the host's current connection said its agent is stopping (a {@code stopping} notice or answer): it
     * runs no new command, so {@link #send} fails at once, unsent. A new connection of the host, or the end of
     * this one, clears it.
     */
    boolean isStopping(String hostId);

    /** Whether new work may go to the host: connected here and not stopping. Every choice of a host asks this. */
    default boolean takesCommands(String hostId) {
        return isConnected(hostId) && !isStopping(hostId);
    }

    /**
     * Closes the host's connection, if it has one, failing its in-flight requests; a live agent
     * reconnects (e.g. with a renewed certificate), one whose certificate was revoked cannot.
     */
    void disconnect(String hostId, String reason);

    /** Commands sent to the host's agent and not answered yet; 0 when it is not connected here. */
    int inFlight(String hostId);
}
