package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpNetworkAnswer;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The networks this host serves DHCPv6 and router advertisements for. Each command replaces one
 * network's state, renders Kea's and radvd's configuration from all of them and hands it to the
 * running daemons; the networks are remembered only once both took it. One change at a time.
 */
public final class DhcpService {

    private static final Logger LOG = LoggerFactory.getLogger(DhcpService.class);

    private final KeaFiles files;
    private final KeaProcess kea;
    private final Radvd radvd;
    private final BridgeRouter router;
    private final Map<String, ServedNetwork> networks = new TreeMap<>();

    public DhcpService(DhcpSettings settings) {
        this.files = settings.keaFiles();
        this.kea = new KeaProcess(files, settings.launcher(), new KeaControl(settings.controlSocket(), Duration.ofSeconds(30)));
        this.radvd = new Radvd(settings.dir(), settings.launcher());
        this.router = new BridgeRouter(settings.launcher());
    }

    /** A refused network or a daemon's refusal is a failed answer naming the network and the cause; nothing changes then. */
    public synchronized DhcpNetworkAnswer apply(ApplyDhcpNetworkCommand command) {
        ServedNetwork network;
        try {
            network = ServedNetwork.of(command);
            serveWithItsLink(network);
        } catch (DhcpException e) {
            LOG.warn("Cannot serve DHCPv6 for network {}: {}", command.networkUuid(), e.getMessage());
            return DhcpNetworkAnswer.failed("cannot serve DHCPv6 for network " + command.networkUuid() + ": "
                    + e.getMessage());
        }
        LOG.info("DHCPv6 for network {} on {}: {} reservation(s); {} network(s) served", network.networkUuid(),
                network.bridge(), network.reservations().size(), networks.size());
        return new DhcpNetworkAnswer(true, null, networks.size(), network.reservations().size());
    }

    /**
     * The bridge's side (BridgeRouter) is set up before Kea gets a network that arrives or changes its link,
     * and taken back if Kea refuses it; a re-apply of its reservations (the frequent change) runs no ip command.
     */
    private void serveWithItsLink(ServedNetwork network) {
        ServedNetwork before = networks.get(network.networkUuid());
        Map<String, ServedNetwork> next = withNetwork(network);
        boolean linkChanged = before == null || !before.bridge().equals(network.bridge())
                || !before.gateway().equals(network.gateway()) || !before.prefix().equals(network.prefix());
        if (!linkChanged) {
            serveOrFail(next);
            return;
        }
        List<ServedNetwork> served = new ArrayList<>(networks.values());
        inOrder(() -> router.serve(network));
        try {
            serveOrFail(next);
        } catch (DhcpException refused) {
            try {
                inOrder(() -> router.unserve(network, served));
            } catch (DhcpException undo) {
                refused.addSuppressed(undo);
            }
            throw refused;
        }
        if (before != null) {
            inOrder(() -> router.unserve(before, next.values()));
        }
    }

    public synchronized DhcpNetworkAnswer remove(RemoveDhcpNetworkCommand command) {
        if (networks.containsKey(command.networkUuid())) {
            Map<String, ServedNetwork> next = new TreeMap<>(networks);
            ServedNetwork removed = next.remove(command.networkUuid());
            try {
                serveOrFail(next);
                inOrder(() -> router.unserve(removed, next.values()));
            } catch (DhcpException e) {
                LOG.warn("Cannot remove DHCPv6 for network {}: {}", command.networkUuid(), e.getMessage());
                return DhcpNetworkAnswer.failed("cannot remove DHCPv6 for network " + command.networkUuid() + ": "
                        + e.getMessage());
            }
            LOG.info("DHCPv6 for network {} removed; {} network(s) served", command.networkUuid(), networks.size());
        }
        return new DhcpNetworkAnswer(true, null, networks.size(), 0);
    }

    /**
     * At agent start. The agent keeps the networks it serves only in memory, so a kea-dhcp6 or radvd left
     * running by a previous agent serves a configuration nobody knows any more (networks the server may
     * have removed or changed since). They are stopped (Kea's leases kept), and each network is served
     * again when the server re-sends it (dhcp.applyNetwork is idempotent; the bridges' gateway addresses
     * and carrier keepers are reused as they are).
     */
    public synchronized void stopLeftBehindDaemons() {
        kea.stopLeftBehind();
        radvd.stop();
    }

    /** Stops Kea and radvd and takes the bridges' gateway addresses and carrier keepers away (the agent stopping, or a test's end). */
    public synchronized void stop() {
        kea.stop();
        radvd.stop();
        List<ServedNetwork> served = new ArrayList<>(networks.values());
        networks.clear();
        for (ServedNetwork network : served) {
            inOrder(() -> router.unserve(network, List.of()));
        }
    }

    /** The configuration Kea serves now (for tests and the benchmark). */
    public synchronized ObjectNode keaConfig() {
        return KeaConfig.render(files, networks.values());
    }

    /**
     * A reservation that went (its NIC removed or moved, its network gone) gives its address and prefix
     * back at once, rather than when the lease expires: the next client with that MAC gets what the
     * configuration now says (a pool address, or nothing).
     */
    private void freeLeasesOfGoneReservations(Map<String, ServedNetwork> next) {
        List<String> addresses = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (ServedNetwork before : networks.values()) {
            ServedNetwork after = next.get(before.networkUuid());
            Set<ServedNetwork.Reservation> kept = after == null ? Set.of() : new HashSet<>(after.reservations());
            for (ServedNetwork.Reservation reservation : before.reservations()) {
                if (!kept.contains(reservation)) {
                    addresses.add(reservation.address());
                    reservation.delegatedPrefix().ifPresent(p -> prefixes.add(p.address()));
                }
            }
        }
        kea.control().deleteLeases(addresses, prefixes);
    }

    private Map<String, ServedNetwork> withNetwork(ServedNetwork network) {
        Map<String, ServedNetwork> next = new TreeMap<>(networks);
        next.put(network.networkUuid(), network);
        return next;
    }

    private void serveOrFail(Map<String, ServedNetwork> next) {
        inOrder(() -> serve(next));
    }

    /** A step that runs tools; an interrupt fails the command like any other failure. */
    private interface Step {
        void run() throws InterruptedException;
    }

    private static void inOrder(Step step) {
        try {
            step.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DhcpException("interrupted while applying the DHCPv6 configuration", e);
        }
    }

    private void serve(Map<String, ServedNetwork> next) throws InterruptedException {
        if (next.isEmpty()) {
            kea.stop();
            radvd.stop();
        } else {
            files.ensureDir();
            boolean wasRunning = kea.isRunning();
            kea.apply(KeaConfig.render(files, next.values()));
            if (wasRunning) {
                freeLeasesOfGoneReservations(next);
            }
            radvd.apply(next.values());
        }
        networks.clear();
        networks.putAll(next);
    }
}
