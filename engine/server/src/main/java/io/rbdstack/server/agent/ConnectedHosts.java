package io.rbdstack.server.agent;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.Hello;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authenticated connection of each host. Every change, and the status event it causes, happens
 * under one lock, so the events reach the {@link HostStatusListener} in the order of the changes:
 * a replaced connection's "disconnected" comes before its successor's "connected", and no event of
 * a connection arrives after it stopped being the host's current one.
 */
final class ConnectedHosts implements AgentConnections {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectedHosts.class);

    private final HostStatusListener status;
    private final Map<String, AgentConnection> byHost = new HashMap<>();

    /** @param status must only queue (see {@link OrderedStatusDispatcher}): it is called under the lock */
    ConnectedHosts(HostStatusListener status) {
        this.status = status;
    }

    @Override
    public CompletableFuture<Answer> send(String hostId, AgentCommand command, Duration timeout,
                                          RequestProgress progress) {
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(command, "command");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        AgentConnection connection;
        synchronized (this) {
            connection = byHost.get(hostId);
        }
        if (connection == null) {
            return CompletableFuture.failedFuture(AgentUnavailableException.notConnected(hostId));
        }
        if (connection.isStopping()) { // it would only answer "stopping": spare the round trip
            return CompletableFuture.failedFuture(AgentUnavailableException.notSentToStopping(hostId,
                    command.getClass().getSimpleName()));
        }
        return connection.send(command, timeout, progress);
    }

    @Override
    public synchronized boolean isConnected(String hostId) {
        return byHost.containsKey(hostId);
    }

    @Override
    public synchronized boolean isStopping(String hostId) {
        AgentConnection connection = byHost.get(hostId);
        return connection != null && connection.isStopping();
    }

    /**
     * The connection's agent said it is stopping ({@code how}): if it is still its host's current connection, the
     * host gets no new command until its agent connects again. Logged once per connection.
     */
    synchronized void reportStopping(AgentConnection connection, String how) {
        if (isCurrent(connection) && connection.markStopping()) {
            LOG.info("Host {} is stopping ({}): it will not be given new commands until its agent connects again",
                    connection.hostId(), how);
        }
    }

    @Override
    public void disconnect(String hostId, String reason) {
        AgentConnection connection;
        synchronized (this) {
            connection = byHost.get(hostId);
        }
        if (connection != null) {
            connection.close(reason); // outside the lock: close() unregisters under it
        }
    }

    @Override
    public synchronized int inFlight(String hostId) {
        AgentConnection connection = byHost.get(hostId);
        return connection == null ? 0 : connection.inFlight();
    }

    /**
     * Makes the connection its host's current one.
     *
     * @return the connection it replaces, which the caller must close; null if none (or if the new
     *         connection was closed meanwhile, in which case it is not registered)
     */
    synchronized AgentConnection register(AgentConnection connection, Hello hello) {
        if (connection.isClosed()) {
            return null;
        }
        String hostId = connection.hostId();
        AgentConnection previous = byHost.put(hostId, connection);
        if (previous != null) {
            status.disconnected(hostId, "replaced by a new connection from " + connection.remoteAddress());
        }
        status.connected(hostId, hello);
        return previous;
    }

    /** Forgets the connection if it is still its host's current one, reporting the disconnect. */
    synchronized void unregister(AgentConnection connection, String reason) {
        String hostId = connection.hostId();
        if (hostId != null && byHost.remove(hostId, connection)) {
            status.disconnected(hostId, reason);
        }
    }

    synchronized void reportHeartbeat(AgentConnection connection) {
        connection.liveness().heard();
        connection.liveness().clearOverdue();
        if (isCurrent(connection)) {
            status.heartbeat(connection.hostId());
        }
    }

    /** Reports the host overdue once, if the connection is still current and still silent. */
    synchronized void reportOverdueIfSilent(AgentConnection connection, Duration overdueAfter) {
        if (isCurrent(connection)
                && connection.liveness().silentNanos() >= overdueAfter.toNanos()
                && connection.liveness().markOverdue()) {
            status.heartbeatOverdue(connection.hostId());
        }
    }

    synchronized List<AgentConnection> all() {
        return List.copyOf(byHost.values());
    }

    private boolean isCurrent(AgentConnection connection) {
        return byHost.get(connection.hostId()) == connection;
    }
}
