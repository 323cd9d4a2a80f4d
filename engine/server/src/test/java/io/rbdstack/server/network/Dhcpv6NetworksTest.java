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
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mockito.Mockito;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * How long the server waits for a connecting agent's dhcp.serveNetworks, which host waits for which, and that
 * a change waiting in a host's lane is checked against the database when its turn comes.
 */
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
        when(agents.takesCommands(anyString())).thenReturn(true);
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

    private static final long NETWORK = 7;
    private static final long HOST_A = 1;

    /**
     * The database of one host ("host-a", id 1) and one dual-stack network (id 7): whether a VM of the network
     * runs on the host is {@code running}, the network_dhcp_host rows are {@code rows} (host ids).
     */
    private static Jdbc database(AtomicBoolean running, Set<Long> rows) {
        return database(running, rows, new CopyOnWriteArrayList<>());
    }

    /** As above, also recording each update's SQL in {@code updates}. */
    private static Jdbc database(AtomicBoolean running, Set<Long> rows, List<String> updates) {
        return mock(Jdbc.class, call -> {
            String method = call.getMethod().getName();
            if (method.equals("transaction")) {
                ((Runnable) call.getArgument(0)).run();
                return null;
            }
            if (!method.equals("query") && !method.equals("queryOne") && !method.equals("update")) {
                return Mockito.RETURNS_DEFAULTS.answer(call);
            }
            String sql = call.getArgument(0);
            if (method.equals("update")) {
                Object[] args = (Object[]) call.getRawArguments()[1];
                long host = (Long) args[sql.contains("WHERE host_id") ? 0 : 1];
                updates.add(sql);
                if (sql.startsWith("INSERT INTO network_dhcp_host")) {
                    rows.add(host);
                } else if (sql.startsWith("DELETE FROM network_dhcp_host WHERE network_id")) {
                    rows.remove(host);
                } else if (sql.startsWith("DELETE FROM network_dhcp_host WHERE host_id")) {
                    rows.clear();
                }
                return 1;
            }
            Jdbc.RowMapper<?> mapper = call.getArgument(1);
            Object[] hostA = {HOST_A, "host-a", "name-host-a"};
            List<Object[]> result;
            if (sql.startsWith("SELECT id, uuid, name FROM host")) {
                result = List.<Object[]>of(hostA);
            } else if (sql.startsWith("SELECT uuid, bridge")) {
                result = List.<Object[]>of(new Object[] {"net-7", "br7", "fd00:7::/64", "fd00:7::1"});
            } else if (sql.startsWith("SELECT uuid FROM networks")) {
                result = List.<Object[]>of(new Object[] {"net-7"});
            } else if (sql.startsWith("SELECT 1 FROM network_dhcp_host")) {
                result = rows.contains(HOST_A) ? List.<Object[]>of(new Object[] {1}) : List.of();
            } else if (sql.contains("WHERE v.host_id = ?") || sql.startsWith("SELECT DISTINCT h.id")) {
                result = running.get() ? List.<Object[]>of(sql.startsWith("SELECT DISTINCT h.id") ? hostA : new Object[] {NETWORK})
                        : List.of();
            } else if (sql.contains("FROM network_dhcp_host d")) {
                result = rows.contains(HOST_A) ? List.<Object[]>of(hostA) : List.of();
            } else {
                result = List.of();
            }
            List<Object> mapped = new java.util.ArrayList<>();
            for (Object[] columns : result) {
                mapped.add(mapper.map(row(columns)));
            }
            return method.equals("queryOne") ? mapped.stream().findFirst() : mapped;
        });
    }

    private static ResultSet row(Object... columns) {
        return (ResultSet) Proxy.newProxyInstance(ResultSet.class.getClassLoader(), new Class<?>[] {ResultSet.class},
                (proxy, method, args) -> {
                    Object value = columns[(Integer) args[0] - 1];
                    return switch (method.getName()) {
                        case "getLong" -> ((Number) value).longValue();
                        case "getInt" -> ((Number) value).intValue();
                        case "getString" -> value.toString();
                        default -> throw new UnsupportedOperationException(method.getName());
                    };
                });
    }

    private static SettingsRepository settings() {
        SettingsRepository settings = mock(SettingsRepository.class);
        when(settings.value(any(io.rbdstack.server.settings.Setting.class))).thenReturn("hwaddr");
        return settings;
    }

    /** The commands sent to host a, in order; the first dhcp.serveNetworks hangs until {@code hung} completes. */
    private static AgentConnections agentsSending(List<AgentCommand> sent, CompletableFuture<Answer> hung) {
        AgentConnections agents = mock(AgentConnections.class);
        when(agents.takesCommands(anyString())).thenReturn(true);
        AtomicInteger serves = new AtomicInteger();
        when(agents.send(anyString(), any(AgentCommand.class), any(Duration.class))).thenAnswer(call -> {
            AgentCommand command = call.getArgument(1);
            sent.add(command);
            return command instanceof ServeDhcpNetworksCommand && serves.getAndIncrement() == 0 ? hung
                    : CompletableFuture.completedFuture(GenericAnswer.ok());
        });
        return agents;
    }

    // Host a slow; a VM of the network starts there (its apply waits in a's lane), then stops before the apply's
    // turn: the plan made at the stop finds a neither serving the network nor recorded, so queues no removal. The
    // waiting apply must not push the network to a then, or a serves it until its agent reconnects.
    @Test
    void anApplyWhoseVmStoppedWhileItWaitedIsNotSent() throws Exception {
        AtomicBoolean running = new AtomicBoolean();
        Set<Long> rows = ConcurrentHashMap.newKeySet();
        List<AgentCommand> sent = new CopyOnWriteArrayList<>();
        List<String> updates = new CopyOnWriteArrayList<>();
        CompletableFuture<Answer> hung = new CompletableFuture<>();
        try (Dhcpv6Networks dhcpv6 = new Dhcpv6Networks(database(running, rows, updates), settings(), mock(PdPools.class),
                agentsSending(sent, hung))) {
            dhcpv6.hostConnected("host-a");
            awaitSent(sent, 1);
            running.set(true);
            dhcpv6.sync(NETWORK);
            running.set(false);
            dhcpv6.sync(NETWORK);
            hung.complete(GenericAnswer.ok());
            // The waiting apply's turn: it records the row, finds the VM stopped, and deletes the row as its last step.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (updates.stream().noneMatch(sql -> sql.startsWith("DELETE FROM network_dhcp_host WHERE network_id"))) {
                assertTrue(System.nanoTime() < deadline, "the waiting apply ran: " + updates);
                Thread.sleep(10);
            }
            assertTrue(updates.stream().anyMatch(sql -> sql.startsWith("INSERT INTO network_dhcp_host")),
                    "the apply recorded the row before reading the host's networks: " + updates);
            assertEquals(List.of(), sent.stream().filter(ApplyDhcpNetworkCommand.class::isInstance).toList(),
                    "nothing applied to host a");
            assertEquals(Set.of(), rows, "no row says host a serves the network");
        }
    }

    // The same for a whole resync (what a backlog collapses into, and a connect): a network whose VM stopped between
    // the resync reading the host's networks and recording them is not sent.
    @Test
    void aResyncSendsOnlyTheNetworksStillWantedOnceRecorded() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Set<Long> rows = ConcurrentHashMap.newKeySet();
        List<AgentCommand> sent = new CopyOnWriteArrayList<>();
        Jdbc database = database(running, rows);
        Jdbc stopsAfterFirstRead = mock(Jdbc.class, call -> {
            Object result = call.getMethod().invoke(database, call.getRawArguments());
            String sql = call.getRawArguments().length > 0 ? String.valueOf(call.getRawArguments()[0]) : "";
            if (sql.contains("WHERE v.host_id = ?")) {
                running.set(false); // the VM stops right after the resync's first read
            }
            return result;
        });
        try (Dhcpv6Networks dhcpv6 = new Dhcpv6Networks(stopsAfterFirstRead, settings(), mock(PdPools.class),
                agentsSending(sent, CompletableFuture.completedFuture(GenericAnswer.ok())))) {
            dhcpv6.serveAll("host-a");
            assertEquals(1, sent.size(), "one dhcp.serveNetworks: " + sent);
            assertEquals(List.of(), ((ServeDhcpNetworksCommand) sent.get(0)).networks(), "the stopped VM's network");
            assertEquals(Set.of(), rows, "no row says host a serves the network");
        }
    }

    private static void awaitSent(List<AgentCommand> sent, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (sent.size() < count) {
            assertTrue(System.nanoTime() < deadline, count + " command(s) sent: " + sent);
            Thread.sleep(10);
        }
    }
}
