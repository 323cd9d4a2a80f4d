package io.rbdstack.server.storage;

import io.rbdstack.server.agent.AgentUnavailableException;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.AgentMessageTypes;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.TransferProgress;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a storage command on some Up host of a scope ({@link LeastBusyHosts} picks it) and, when that host
 * is lost, on the next: always when the command never ran there (not connected any more, or its agent is
 * stopping and refused it), and when the
 * connection dropped while it ran only for a command that declares itself {@link AgentCommand#retrySafe()}.
 * A timeout (the command may still be running there) and any answer, failed or not, end it as they are.
 * Each host is tried once, each time with the whole timeout.
 */
final class HostFailover {

    private static final Logger LOG = LoggerFactory.getLogger(HostFailover.class);

    private final HostGateway gateway;
    private final LeastBusyHosts choice;
    private final Function<PoolScope, List<String>> stoppingHosts;

    /**
     * @param stoppingHosts the scope's Up hosts whose agents are stopping, which {@link HostGateway#upHosts} leaves
     *                      out: named when no other host can take the command
     */
    HostFailover(HostGateway gateway, LeastBusyHosts choice, Function<PoolScope, List<String>> stoppingHosts) {
        this.gateway = gateway;
        this.choice = choice;
        this.stoppingHosts = stoppingHosts;
    }

    Answer send(PoolScope scope, AgentCommand command, Duration timeout, TransferProgress progress)
            throws StorageException {
        Set<String> lost = new LinkedHashSet<>();
        StorageException lastLoss = null;
        while (true) {
            List<String> candidates = gateway.upHosts(scope).stream().filter(host -> !lost.contains(host)).toList();
            if (candidates.isEmpty()) {
                String stopping = stoppingNote(scope, lost);
                if (lastLoss != null) {
                    throw new StorageException(StorageException.Kind.UNAVAILABLE, lastLoss.getMessage()
                            + "; no other host is Up in " + where(scope) + " to run " + name(command) + stopping,
                            lastLoss);
                }
                throw new StorageException(StorageException.Kind.UNAVAILABLE, "No host is Up in " + where(scope)
                        + " to run the storage command" + stopping);
            }
            String host = choice.choose(candidates);
            if (lost.isEmpty()) {
                LOG.debug("Sending {} to host {}", name(command), host);
            } else {
                LOG.warn("Sending {} to host {} after host(s) {} were lost", name(command), host, lost);
            }
            try {
                Answer answer = gateway.send(host, command, timeout, progress);
                if (!lost.isEmpty()) {
                    LOG.info("Host {} answered {} after host(s) {} were lost", host, name(command), lost);
                }
                return answer;
            } catch (StorageException e) {
                if (!(e.getCause() instanceof AgentUnavailableException unavailable)) {
                    throw e; // a timeout, or an answer that could not be read: the command may still run there
                }
                if (!unavailable.neverSent() && !command.retrySafe()) {
                    throw new StorageException(StorageException.Kind.UNAVAILABLE, "Host " + host
                            + " was lost while running " + name(command) + ", which is not safe to run twice, so"
                            + " no other host was asked to (" + e.getMessage() + ")", e);
                }
                LOG.warn("Host {} {} {} ({}); trying another Up host", host, unavailable.neverSent()
                        ? "did not run" : "was lost while running", name(command), e.getMessage());
                lost.add(host);
                lastLoss = e;
            }
        }
    }

    /** Why Up hosts were not asked: their agents are stopping (those already tried are named as lost instead). */
    private String stoppingNote(PoolScope scope, Set<String> lost) {
        List<String> stopping = stoppingHosts.apply(scope).stream().filter(host -> !lost.contains(host)).toList();
        return stopping.isEmpty() ? "" : " (host(s) " + String.join(", ", stopping)
                + " stopping: their agents take no new commands until they connect again)";
    }

    private static String where(PoolScope scope) {
        return scope.scopeName().toLowerCase() + " " + scope.clusterUuid().orElse(scope.zoneUuid());
    }

    /** The command's wire name, as the agents' logs and docs/agent-protocol.md call it. */
    static String name(AgentCommand command) {
        return AgentMessageTypes.wireName(command.getClass()).orElse(command.getClass().getSimpleName());
    }
}
