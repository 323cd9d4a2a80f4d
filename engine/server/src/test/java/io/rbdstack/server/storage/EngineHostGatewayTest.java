package io.rbdstack.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.agent.RequestProgress;
import io.rbdstack.server.host.HostRepository;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.TransferProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Which Up hosts the engine chooses from: a host whose agent is stopping is not one of them. */
class EngineHostGatewayTest {

    @JsonTypeName("test.create")
    record CreateCommand() implements AgentCommand {
    }

    /** Connected hosts, some stopping; records every command sent. */
    static final class Agents implements AgentConnections {
        final Set<String> connected;
        final Set<String> stopping;
        final List<String> sentTo = new ArrayList<>();

        Agents(Set<String> connected, Set<String> stopping) {
            this.connected = connected;
            this.stopping = stopping;
        }

        @Override
        public CompletableFuture<Answer> send(String hostId, AgentCommand command, Duration timeout,
                                              RequestProgress progress) {
            sentTo.add(hostId);
            return CompletableFuture.completedFuture(GenericAnswer.ok());
        }

        @Override
        public boolean isConnected(String hostId) {
            return connected.contains(hostId);
        }

        @Override
        public boolean isStopping(String hostId) {
            return stopping.contains(hostId);
        }

        @Override
        public void disconnect(String hostId, String reason) {
        }

        @Override
        public int inFlight(String hostId) {
            return 0;
        }
    }

    private static final PoolScope ZONE = PoolScope.zone("z1");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final HostRepository hosts = mock(HostRepository.class);

    @Test
    void aStoppingHostIsNotUpForNewWorkAndTheCommandGoesToTheOtherHost() throws Exception {
        when(hosts.upHostsIn("z1", Optional.empty())).thenReturn(List.of("h1", "h2"));
        Agents agents = new Agents(Set.of("h1", "h2"), Set.of("h1"));
        EngineHostGateway gateway = new EngineHostGateway(hosts, agents);

        assertEquals(List.of("h2"), gateway.upHosts(ZONE));
        for (int i = 0; i < 3; i++) {
            assertTrue(gateway.sendToAnyHost(ZONE, new CreateCommand(), TIMEOUT, TransferProgress.NONE).success());
        }
        assertEquals(List.of("h2", "h2", "h2"), agents.sentTo, "never the stopping host");
    }

    @Test
    void aCommandWhoseOnlyHostIsStoppingFailsAtOnceNamingIt() {
        when(hosts.upHostsIn("z1", Optional.empty())).thenReturn(List.of("h1"));
        Agents agents = new Agents(Set.of("h1"), Set.of("h1"));
        EngineHostGateway gateway = new EngineHostGateway(hosts, agents);

        StorageException e = assertThrows(StorageException.class,
                () -> gateway.sendToAnyHost(ZONE, new CreateCommand(), TIMEOUT, TransferProgress.NONE));

        assertEquals(StorageException.Kind.UNAVAILABLE, e.kind());
        assertEquals("No host is Up in zone z1 to run the storage command (host(s) h1 stopping: their agents take no"
                + " new commands until they connect again)", e.getMessage());
        assertEquals(List.of(), agents.sentTo, "not sent to be refused");
    }

    @Test
    void aHostNoLongerStoppingIsChosenAgain() throws Exception {
        when(hosts.upHostsIn("z1", Optional.empty())).thenReturn(List.of("h1"));
        Agents agents = new Agents(Set.of("h1"), new java.util.HashSet<>(Set.of("h1")));
        EngineHostGateway gateway = new EngineHostGateway(hosts, agents);
        assertEquals(List.of(), gateway.upHosts(ZONE));

        agents.stopping.remove("h1"); // its agent connected again

        gateway.sendToAnyHost(ZONE, new CreateCommand(), TIMEOUT, TransferProgress.NONE);
        assertEquals(List.of("h1"), agents.sentTo);
    }
}
