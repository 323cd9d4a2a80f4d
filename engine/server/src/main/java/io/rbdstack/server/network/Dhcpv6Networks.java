package io.rbdstack.server.network;

import io.rbdstack.server.agent.AgentConnections;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpLifetimes;
import io.rbdstack.spi.agent.dhcp.DhcpPdPool;
import io.rbdstack.spi.agent.dhcp.DhcpReservation;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Kea on the hosts in step with the database: a dual-stack network's whole DHCPv6 state
 * (dhcp.applyNetwork: its bridge, /64, gateway, the DHCPv6 settings, a reservation per live NIC of a VM
 * not destroyed, its prefix-delegation pool) goes to the agent of every Up host running or starting one
 * of its VMs; a host that served it and no longer does gets dhcp.removeNetwork. A network is synced when
 * a VM's NICs are placed, added, removed or released and when it is deleted; an agent that connects is sent
 * the whole set of networks its host must serve (dhcp.serveNetworks), which drops anything else there.
 * Which hosts a change concerns is worked out from the database on one thread, in the order asked; what it
 * sends to each host then waits in that host's own lane ({@link HostLanes}): one host's changes reach it in
 * order, and a slow or unreachable host (each step bounded by {@link #TIMEOUT}) delays no other. Nothing here
 * fails the VM operation that asked: a host that cannot be reached is synced again when its agent reconnects.
 */
public final class Dhcpv6Networks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Dhcpv6Networks.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private record Host(long id, String uuid, String name) {
    }

    private final Jdbc jdbc;
    private final SettingsRepository settings;
    private final PdPools pdPools;
    private final AgentConnections agents;
    /** Hosts whose DHCPv6 is synced at once; more wait for a thread (each step is bounded by TIMEOUT). */
    static final int HOST_THREADS = 8;
    /** Changes waiting for one host; past that they are replaced by one dhcp.serveNetworks of the whole set. */
    static final int HOST_BACKLOG = 1000;

    /** Works out which hosts a change concerns: database reads only, so it never waits for a host. */
    private final ExecutorService planner = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "dhcpv6-plan");
        thread.setDaemon(true);
        return thread;
    });
    private final HostLanes hosts;

    public Dhcpv6Networks(Jdbc jdbc, SettingsRepository settings, PdPools pdPools, AgentConnections agents) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.pdPools = pdPools;
        this.agents = agents;
        this.hosts = new HostLanes("dhcpv6-sync", HOST_THREADS, HOST_BACKLOG, uuid -> () -> serveAll(uuid));
    }

    /** The VM's NICs were placed on a host, taken off it, or released: their dual-stack networks are synced. */
    public void vmChanged(long vmId) {
        submit(() -> jdbc.query("SELECT DISTINCT c.network_id FROM nics c JOIN networks n ON n.id = c.network_id"
                + " WHERE c.instance_id = ? AND n.ip6_cidr IS NOT NULL ORDER BY c.network_id", rs -> rs.getLong(1),
                vmId).forEach(this::sync), "VM " + vmId);
    }

    /** The network was deleted: the hosts that served it stop. */
    public void networkDeleted(long networkId) {
        submit(() -> sync(networkId), "network " + networkId);
    }

    /** The host's agent (re)connected: it is sent the whole set of networks it must serve (dhcp.serveNetworks). */
    public void hostConnected(String hostUuid) {
        submit(() -> hosts.submit(hostUuid, () -> serveAll(hostUuid)), "host " + hostUuid);
    }

    /**
     * The whole set rather than a removal per network the host should no longer serve: an agent that
     * restarted remembers nothing of what it served, so a removal of a network it no longer knows would
     * leave that network's gateway address and carrier keeper on the host, and a network deleted while the
     * host was away is known here only by its network_dhcp_host row. With the whole set, the host drops
     * whatever else it serves or finds left over, whatever either side remembers; the rows then say exactly
     * what it serves.
     */
    void serveAll(String hostUuid) {
        Host host = jdbc.queryOne("SELECT id, uuid, name FROM host WHERE uuid = ?",
                rs -> new Host(rs.getLong(1), rs.getString(2), rs.getString(3)), hostUuid).orElse(null);
        if (host == null) {
            return;
        }
        // Recorded before sending, then read again: a VM stopped or a network deleted meanwhile is either seen
        // here or its plan sees the row and queues a removal behind this (see apply).
        List<Long> planned = wantedNetworks(host);
        planned.forEach(networkId -> record(networkId, host));
        List<Long> networkIds = wantedNetworks(host).stream().filter(planned::contains).toList();
        List<ApplyDhcpNetworkCommand> networks = networkIds.stream().map(this::command).toList();
        boolean served = sent(host, new ServeDhcpNetworksCommand(networks), serveTimeout(networks.size()));
        // Failed part-way, the host may serve some of the set and still some of what it served: the rows keep
        // both, so a later sync removes whatever of it the host should not serve (a removal is harmless twice).
        if (served) {
            jdbc.transaction(() -> {
                jdbc.update("DELETE FROM network_dhcp_host WHERE host_id = ?", host.id());
                networkIds.forEach(networkId -> record(networkId, host));
            });
            LOG.info("Host {} serves the DHCPv6 of {} network(s)", host.name(), networkIds.size());
        }
    }

    /** The dual-stack networks, not deleted, of the host's VMs running or starting, in network order. */
    private List<Long> wantedNetworks(Host host) {
        return jdbc.query("SELECT DISTINCT c.network_id FROM nics c JOIN networks n"
                + " ON n.id = c.network_id JOIN vm_instance v ON v.id = c.instance_id WHERE v.host_id = ?"
                + " AND c.removed IS NULL AND n.removed IS NULL AND n.ip6_cidr IS NOT NULL"
                + " AND v.state IN ('Starting', 'Running') ORDER BY c.network_id", rs -> rs.getLong(1), host.id());
    }

    /** Whether the host may serve the network: its row is what makes a later plan queue the removal. */
    private void record(long networkId, Host host) {
        jdbc.update("INSERT INTO network_dhcp_host (network_id, host_id, applied) VALUES (?, ?, ?)"
                + " ON DUPLICATE KEY UPDATE applied = VALUES(applied)", networkId, host.id(), Instant.now());
    }

    private boolean recorded(long networkId, Host host) {
        return jdbc.queryOne("SELECT 1 FROM network_dhcp_host WHERE network_id = ? AND host_id = ?",
                rs -> rs.getInt(1), networkId, host.id()).isPresent();
    }

    /**
     * How long an agent may take for dhcp.serveNetworks: it applies the networks one by one (each as long as
     * one dhcp.applyNetwork may take) after removing what it should no longer serve, so the wait is one
     * {@link #TIMEOUT} per network and one for the removals; one TIMEOUT for the whole set made a host with
     * a few slow networks look failed while it was still applying them.
     */
    static Duration serveTimeout(int networks) {
        return TIMEOUT.multipliedBy(networks + 1L);
    }

    private void submit(Runnable work, String what) {
        planner.execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("DHCPv6 sync for {} failed", what, e);
            }
        });
    }

    /**
     * Queues the network's state for the hosts that should serve it and its removal for those that should not,
     * each on the host's lane; the state is read when its turn comes, so it is the latest then.
     */
    void sync(long networkId) {
        Set<Host> serving = new LinkedHashSet<>(jdbc.query("SELECT DISTINCT h.id, h.uuid, h.name FROM nics c"
                + " JOIN networks n ON n.id = c.network_id JOIN vm_instance v ON v.id = c.instance_id"
                + " JOIN host h ON h.id = v.host_id WHERE c.network_id = ? AND c.removed IS NULL AND n.removed IS NULL"
                + " AND v.state IN ('Starting', 'Running') AND h.status = 'Up' ORDER BY h.id",
                rs -> new Host(rs.getLong(1), rs.getString(2), rs.getString(3)), networkId));
        List<Host> served = jdbc.query("SELECT h.id, h.uuid, h.name FROM network_dhcp_host d JOIN host h"
                + " ON h.id = d.host_id WHERE d.network_id = ? ORDER BY h.id",
                rs -> new Host(rs.getLong(1), rs.getString(2), rs.getString(3)), networkId);
        for (Host host : serving) {
            hosts.submit(host.uuid(), () -> apply(networkId, host));
        }
        List<Host> leaving = served.stream().filter(host -> !serving.contains(host)).toList();
        if (!leaving.isEmpty()) {
            String networkUuid = networkUuid(networkId);
            for (Host host : leaving) {
                hosts.submit(host.uuid(), () -> remove(networkId, networkUuid, host));
            }
        }
    }

    /**
     * The plan was made when the change was asked; by this piece's turn the VM may have stopped or the network
     * been deleted, and a plan made then found no row for this host and queued no removal. So the row is written
     * before anything is sent and the host's networks read after it: a later change is seen here, or its plan
     * sees the row and queues the removal behind this piece. A failed send keeps the row (the host may have
     * applied part of it): a later sync removes what the host should not serve.
     */
    private void apply(long networkId, Host host) {
        boolean servedBefore = recorded(networkId, host);
        record(networkId, host);
        if (!wantedNetworks(host).contains(networkId)) {
            if (servedBefore) {
                remove(networkId, networkUuid(networkId), host);
            } else {
                jdbc.update("DELETE FROM network_dhcp_host WHERE network_id = ? AND host_id = ?", networkId,
                        host.id());
            }
            return;
        }
        sent(host, command(networkId), TIMEOUT);
    }

    private void remove(long networkId, String networkUuid, Host host) {
        if (sent(host, new RemoveDhcpNetworkCommand(networkUuid), TIMEOUT)) {
            jdbc.update("DELETE FROM network_dhcp_host WHERE network_id = ? AND host_id = ?", networkId, host.id());
        }
    }

    /** The network's whole DHCPv6 state from the database and the settings. */
    ApplyDhcpNetworkCommand command(long networkId) {
        record Row(String uuid, String bridge, String cidr, String gateway) {
        }
        Row n = jdbc.queryOne("SELECT uuid, bridge, ip6_cidr, ip6_gateway FROM networks WHERE id = ?",
                rs -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), networkId)
                .orElseThrow();
        List<DhcpReservation> reservations = jdbc.query("SELECT c.mac_address, c.ip6_address FROM nics c"
                + " JOIN vm_instance v ON v.id = c.instance_id WHERE c.network_id = ? AND c.removed IS NULL"
                + " AND c.ip6_address IS NOT NULL AND v.removed IS NULL AND v.state NOT IN ('Destroyed', 'Expunging')"
                + " ORDER BY c.id", rs -> new DhcpReservation(rs.getString(1), rs.getString(2), null), networkId);
        DhcpLifetimes lifetimes = new DhcpLifetimes(settings.longValue(Setting.DHCPV6_RENEW_TIMER),
                settings.longValue(Setting.DHCPV6_REBIND_TIMER), settings.longValue(Setting.DHCPV6_PREFERRED_LIFETIME),
                settings.longValue(Setting.DHCPV6_VALID_LIFETIME));
        List<String> macSources = Arrays.stream(settings.value(Setting.DHCPV6_MAC_SOURCES).split(","))
                .map(String::trim).toList();
        DhcpPdPool pd = pdPools.of(networkId).map(p -> new DhcpPdPool(p.prefix().toString(), p.delegatedLength()))
                .orElse(null);
        return new ApplyDhcpNetworkCommand(n.uuid(), n.bridge(), n.cidr(), n.gateway(), null, pd, lifetimes,
                macSources, reservations, settings.value(Setting.DHCPV6_KEA_CONTROL_SOCKET),
                settings.value(Setting.DHCPV6_LEASE_DATABASE_TYPE));
    }

    private String networkUuid(long networkId) {
        return jdbc.queryOne("SELECT uuid FROM networks WHERE id = ?", rs -> rs.getString(1), networkId).orElseThrow();
    }

    /** Whether the host's agent ran the command; a host not connected here, or failing, is logged and left. */
    private boolean sent(Host host, AgentCommand command, Duration timeout) {
        if (!agents.takesCommands(host.uuid())) {
            LOG.info("Host {} is not connected here or its agent is stopping: its DHCPv6 is synced when its agent"
                    + " connects", host.name());
            return false;
        }
        try {
            Answer answer = agents.send(host.uuid(), command, timeout).get();
            if (!answer.success()) {
                LOG.warn("Host {} refused {}: {}", host.name(), command.getClass().getSimpleName(), answer.details());
            }
            return answer.success();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.warn("Host {} could not run {}: {}", host.name(), command.getClass().getSimpleName(),
                    e.getCause().getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        planner.shutdownNow();
        planner.awaitTermination(5, TimeUnit.SECONDS);
        hosts.close();
    }
}
