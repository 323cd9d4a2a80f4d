package io.rbdstack.spi.storage;

import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import java.time.Duration;
import java.util.List;

/** How a provider reaches the KVM agents: the engine picks hosts and carries commands. */
public interface HostGateway {

    /** Uuids of the hosts in scope that are Up now and take commands (not one whose agent is stopping). */
    List<String> upHosts(PoolScope scope);

    /**
     * Sends a command to one host and waits for its answer. A host that is not connected, or lost
     * while the command runs, or silent past the timeout, is a {@link StorageException.Kind#UNAVAILABLE}.
     */
    Answer send(String hostUuid, AgentCommand command, Duration timeout) throws StorageException;

    /**
     * {@link #send(String, AgentCommand, Duration)} for a long command whose agent reports how far it is
     * ({@code progress} messages): each report goes to {@code progress}.
     */
    default Answer send(String hostUuid, AgentCommand command, Duration timeout, TransferProgress progress)
            throws StorageException {
        return send(hostUuid, command, timeout);
    }

    /**
     * Sends to some Up host in scope; {@link StorageException.Kind#UNAVAILABLE} when there is none. The engine
     * spreads these over its hosts and, when the host is lost while the command runs, sends a command that is
     * {@link AgentCommand#retrySafe()} to the next; this default (for test doubles) takes the first host.
     */
    default Answer sendToAnyHost(PoolScope scope, AgentCommand command, Duration timeout) throws StorageException {
        return sendToAnyHost(scope, command, timeout, TransferProgress.NONE);
    }

    /** {@link #sendToAnyHost(PoolScope, AgentCommand, Duration)} reporting the command's progress. */
    default Answer sendToAnyHost(PoolScope scope, AgentCommand command, Duration timeout, TransferProgress progress)
            throws StorageException {
        List<String> hosts = upHosts(scope);
        if (hosts.isEmpty()) {
            throw new StorageException(StorageException.Kind.UNAVAILABLE, "No host is Up in " + scope.scopeName()
                    .toLowerCase() + " " + scope.clusterUuid().orElse(scope.zoneUuid()) + " to run the storage command");
        }
        return send(hosts.get(0), command, timeout, progress);
    }
}
