package io.rbdstack.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.GenericAnswer;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** How long the server waits for a connecting agent's dhcp.serveNetworks, and which host waits for which. */
class Dhcpv6NetworksTest {

    /** A host row for the uuid asked, as the database would give it. */
    private static Jdbc hostsOf(String... uuids) throws Exception {
        Jdbc jdbc = mock(Jdbc.class);
        when(jdbc.queryOne(startsWith("SELECT id, uuid, name FROM host"), any(), any())).thenAnswer(call -> {
            String uuid = call.getArgument(2);
            ResultSet row = mock(ResultSet.class);
            when(row.getLong(1)).thenReturn((long) List.of(uuids).indexOf(uuid) + 1);
            when(row.getString(2)).thenReturn(uuid);
            when(row.getString(3)).thenReturn("name-" + uuid);
            Jdbc.RowMapper<?> mapper = call.getArgument(1);
            return Optional.of(mapper.map(row));
        });
        return jdbc;
    }

    @Test
    void aHostWhoseAgentHangsDelaysNoOtherHostsSync() throws Exception {
        AgentConnections agents = mock(AgentConnections.class);
        when(agents.isConnected(anyString())).thenReturn(true);
        CompletableFuture<Answer> hung = new CompletableFuture<>();
        List<String> served = new CopyOnWriteArrayList<>();
        when(agents.send(anyString(), any(ServeDhcpNetworksCommand.class), any(Duration.class))).thenAnswer(call -> {
            String host = call.getArgument(0);
            served.add(host);
            return host.equals("host-a") ? hung : CompletableFuture.completedFuture(GenericAnswer.ok());
        });
        try (Dhcpv6Networks dhcpv6 = new Dhcpv6Networks(hostsOf("host-a", "host-b"), mock(SettingsRepository.class),
                mock(PdPools.class), agents)) {
            dhcpv6.hostConnected("host-a");
            dhcpv6.hostConnected("host-a");
            dhcpv6.hostConnected("host-b");

            awaitServed(served, "host-b", 1);
            awaitServed(served, "host-a", 1);
            Thread.sleep(200); // host a's second sync, were it not behind its first
            assertEquals(1, Collections.frequency(served, "host-a"), "host a's second sync waits for its first");
            assertEquals(1, Collections.frequency(served, "host-b"), "host b served while host a hangs");
            hung.complete(GenericAnswer.ok());
            awaitServed(served, "host-a", 2);
        }
    }

    private static void awaitServed(List<String> served, String host, int times) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Collections.frequency(served, host) < times) {
            assertTrue(System.nanoTime() < deadline, host + " served " + times + " time(s): " + served);
            Thread.sleep(10);
        }
    }

    // The agent applies the networks one by one, each bounded as one dhcp.applyNetwork (30 s): one 30 s wait
    // for the whole set failed a host with several networks while it was still applying them.
    @Test
    void theWaitIsOneStepForTheRemovalsAndOnePerNetwork() {
        assertEquals(Duration.ofSeconds(30), Dhcpv6Networks.serveTimeout(0));
        assertEquals(Duration.ofSeconds(60), Dhcpv6Networks.serveTimeout(1));
        assertEquals(Duration.ofSeconds(330), Dhcpv6Networks.serveTimeout(10));
    }
}
