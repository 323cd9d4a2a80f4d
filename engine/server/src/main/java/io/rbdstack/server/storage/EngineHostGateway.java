package io.rbdstack.server.storage;

import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.AgentException;
import io.rbdstack.server.agent.RequestProgress;
import io.rbdstack.server.host.HostRepository;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.TransferProgress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The engine's side of {@link HostGateway}: Up hosts from the host table, commands over the agent connections. */
public final class EngineHostGateway implements HostGateway {

    private final HostRepository hosts;
    private final AgentConnections agents;
    private final LeastBusyHosts choice;

    public EngineHostGateway(HostRepository hosts, AgentConnections agents) {
        this.hosts = hosts;
        this.agents = agents;
        this.choice = new LeastBusyHosts(agents::inFlight);
    }

    /** Up in the host table and taking commands here (connected, its agent not stopping). */
    @Override
    public List<String> upHosts(PoolScope scope) {
        return hosts.upHostsIn(scope.zoneUuid(), scope.clusterUuid()).stream()
                .filter(agents::takesCommands).toList();
    }

    /** The hosts of the scope that are Up but whose agents are stopping: left out of {@link #upHosts}. */
    List<String> stoppingHosts(PoolScope scope) {
        return hosts.upHostsIn(scope.zoneUuid(), scope.clusterUuid()).stream()
                .filter(agents::isStopping).toList();
    }

    /** The least busy Up host of the scope; the next one when it is lost, if the command is safe to resend. */
    @Override
    public Answer sendToAnyHost(PoolScope scope, AgentCommand command, Duration timeout, TransferProgress progress)
            throws StorageException {
        return new HostFailover(this, choice, this::stoppingHosts).send(scope, command, timeout, progress);
    }

    @Override
    public Answer send(String hostUuid, AgentCommand command, Duration timeout) throws StorageException {
        return send(hostUuid, command, timeout, TransferProgress.NONE);
    }

    @Override
    public Answer send(String hostUuid, AgentCommand command, Duration timeout, TransferProgress progress)
            throws StorageException {
        CompletableFuture<Answer> answer = agents.send(hostUuid, command, timeout, RequestProgress.of(progress));
        try {
            return answer.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AgentException) {
                throw new StorageException(StorageException.Kind.UNAVAILABLE, cause.getMessage(), cause);
            }
            // Not the cause's message: it may name classes or quote a parser; the log has it.
            throw new StorageException(StorageException.Kind.FAILED, "Host " + hostUuid
                    + " could not run an agent command", cause);
        } catch (InterruptedException e) {
            // No one waits for it any more: a transfer still queued for the host leaves the queue, never to run.
            answer.cancel(false);
            Thread.currentThread().interrupt();
            throw new StorageException(StorageException.Kind.UNAVAILABLE, "Interrupted waiting for host " + hostUuid);
        }
    }
}
