package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpNetworkAnswer;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** The lease store this agent runs; Kea's database backends would need credentials on every host. */
    static final String MEMFILE = "memfile";
    /** The longest path a unix socket address holds (sun_path, with its terminating NUL). */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    private final DhcpSettings settings;
    private KeaFiles files;
    private KeaProcess kea;
    private final Radvd radvd;
    private final BridgeRouter router;
    private final Map<String, ServedNetwork> networks = new TreeMap<>();
    /** Bridges a previous agent served that no network given since has claimed (see {@link LeftLinks}). */
    private final Map<String, LeftLinks.Link> leftLinks = new TreeMap<>();

    public DhcpService(DhcpSettings settings) {
        this.settings = settings;
        this.files = settings.keaFiles();
        this.kea = keaOn(files);
        this.radvd = new Radvd(settings.dir(), settings.launcher());
        this.router = new BridgeRouter(settings.launcher());
    }

    private KeaProcess keaOn(KeaFiles keaFiles) {
        return new KeaProcess(keaFiles, settings.launcher(), new KeaControl(keaFiles.controlSocket(),
                Duration.ofSeconds(30)));
    }

    /** A refused network or a daemon's refusal is a failed answer naming the network and the cause; nothing changes then. */
    public synchronized DhcpNetworkAnswer apply(ApplyDhcpNetworkCommand command) {
        ServedNetwork network;
        try {
            network = ServedNetwork.of(command);
            requireMemfile(command);
            Optional<Path> movedSocket = socketToMoveTo(command);
            if (movedSocket.isPresent()) {
                serveOnMovedSocket(movedSocket.get(), network);
            } else {
                serveWithItsLink(network);
            }
            forgetLeftLink(network);
        } catch (DhcpException e) {
            LOG.warn("Cannot serve DHCPv6 for network {}: {}", command.networkUuid(), e.getMessage());
            return DhcpNetworkAnswer.failed("cannot serve DHCPv6 for network " + command.networkUuid() + ": "
                    + e.getMessage());
        }
        LOG.info("DHCPv6 for network {} on {}: {} reservation(s); {} network(s) served", network.networkUuid(),
                network.bridge(), network.reservations().size(), networks.size());
        return new DhcpNetworkAnswer(true, null, networks.size(), network.reservations().size());
    }

    /** A network a previous agent served is served again: its old gateway goes if it is not the one now. */
    private void forgetLeftLink(ServedNetwork network) {
        LeftLinks.Link left = leftLinks.remove(network.networkUuid());
        if (left != null && !(left.bridge().equals(network.bridge())
                && left.gateway().equals(Optional.of(network.gateway())))) {
            inOrder(() -> router.unserve(left, networks.values()));
        }
    }

    /**
     * The bridge's side (BridgeRouter) is set up before Kea gets a network that arrives or changes its link,
     * and taken back if that set-up fails half-way or Kea refuses the network; a re-apply of its reservations
     * (the frequent change) runs no ip command.
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
        try {
            inOrder(() -> router.serve(network));
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
        LeftLinks.Link left = leftLinks.remove(command.networkUuid());
        if (left != null) {
            try {
                inOrder(() -> router.unserve(left, networks.values()));
            } catch (DhcpException e) {
                leftLinks.put(left.networkUuid(), left);
                return DhcpNetworkAnswer.failed("cannot remove what a previous agent left for network "
                        + command.networkUuid() + ": " + e.getMessage());
            }
        }
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
        try {
            for (LeftLinks.Link link : LeftLinks.read(files.config())) {
                leftLinks.put(link.networkUuid(), link);
            }
        } catch (DhcpException | IllegalArgumentException e) {
            // the agent still starts; what the previous one left on the bridges stays until an admin removes it
            LOG.warn("Cannot tell which bridges a previous agent served: {}", e.getMessage());
        }
        if (!leftLinks.isEmpty()) {
            LOG.info("A previous agent served DHCPv6 on {}: kept until the server says which networks stay",
                    leftLinks.values().stream().map(LeftLinks.Link::bridge).distinct().toList());
        }
    }

    /**
     * dhcp.serveNetworks: this host serves exactly the given networks afterwards. The others it serves, and
     * the bridges a previous agent left, are given up first; then each given network is applied. Every
     * network is checked before anything changes; a network the host cannot serve is named in a failed
     * answer, the others are served all the same.
     */
    public synchronized DhcpNetworkAnswer serveOnly(ServeDhcpNetworksCommand command) {
        List<ServedNetwork> wanted = new ArrayList<>();
        try {
            for (ApplyDhcpNetworkCommand network : command.networks()) {
                wanted.add(ServedNetwork.of(network));
            }
        } catch (DhcpException e) {
            return DhcpNetworkAnswer.failed("cannot serve the networks sent: " + e.getMessage());
        }
        Set<String> uuids = new HashSet<>(wanted.stream().map(ServedNetwork::networkUuid).toList());
        List<String> failures = new ArrayList<>();
        for (String served : List.copyOf(networks.keySet())) {
            if (!uuids.contains(served)) {
                DhcpNetworkAnswer removed = remove(new RemoveDhcpNetworkCommand(served));
                if (!removed.success()) {
                    failures.add(removed.details());
                }
            }
        }
        for (LeftLinks.Link left : List.copyOf(leftLinks.values())) {
            if (!uuids.contains(left.networkUuid())) {
                DhcpNetworkAnswer removed = remove(new RemoveDhcpNetworkCommand(left.networkUuid()));
                if (!removed.success()) {
                    failures.add(removed.details());
                }
            }
        }
        int reservations = 0;
        for (ApplyDhcpNetworkCommand network : command.networks()) {
            DhcpNetworkAnswer applied = apply(network);
            if (applied.success()) {
                reservations += applied.reservations();
            } else {
                failures.add(applied.details());
            }
        }
        LOG.info("DHCPv6 served for {} network(s) as the server listed", networks.size());
        return failures.isEmpty() ? new DhcpNetworkAnswer(true, null, networks.size(), reservations)
                : new DhcpNetworkAnswer(false, String.join("; ", failures), networks.size(), reservations);
    }

    /** The server's lease store for Kea: only memfile runs here. */
    private static void requireMemfile(ApplyDhcpNetworkCommand command) {
        if (command.leaseDatabaseType() != null && !MEMFILE.equals(command.leaseDatabaseType())) {
            throw new DhcpException("lease database type '" + command.leaseDatabaseType() + "' is not one this agent"
                    + " runs (only " + MEMFILE + ")");
        }
    }

    /**
     * The server's control socket for Kea when it is a new one (one the host did not choose itself), checked
     * and its directory made before anything stops; empty when Kea stays where it is.
     */
    private Optional<Path> socketToMoveTo(ApplyDhcpNetworkCommand command) {
        if (command.controlSocket() == null || settings.ownSocket()) {
            return Optional.empty();
        }
        Path socket = Path.of(command.controlSocket());
        if (!socket.isAbsolute() || socket.getParent() == null
                || command.controlSocket().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new DhcpException("control socket '" + command.controlSocket() + "' is not an absolute path of at"
                    + " most " + MAX_SOCKET_PATH_BYTES + " bytes");
        }
        if (socket.equals(files.controlSocket())) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(socket.getParent());
        } catch (IOException e) {
            throw new DhcpException("cannot create the directory of the control socket " + socket + ": "
                    + e.getMessage(), e);
        }
        return Optional.of(socket);
    }

    /**
     * Moves Kea to the new socket: stopped with its leases kept, started there with the networks and this
     * one. If the network cannot be served there (Kea does not come up on that socket, or its link fails),
     * Kea is started again on the old socket with the networks it served, and the command fails: a bad
     * setting must not leave every network of the host without DHCPv6.
     */
    private void serveOnMovedSocket(Path socket, ServedNetwork network) {
        KeaFiles oldFiles = files;
        KeaProcess oldKea = kea;
        oldKea.stopKeepingLeases();
        files = new KeaFiles(oldFiles.dir(), socket, oldFiles.leaseCommandsHook());
        kea = keaOn(files);
        try {
            serveWithItsLink(network);
        } catch (DhcpException failed) {
            // a Kea that came up there but whose network failed later (radvd) would hold the DHCPv6 port
            kea.stopKeepingLeases();
            files = oldFiles;
            kea = oldKea;
            throw backOnOldSocket(socket, failed);
        }
        LOG.info("Kea's control socket is now {} (the server's dhcpv6.kea.control.socket)", socket);
    }

    private DhcpException backOnOldSocket(Path socket, DhcpException failed) {
        String notMoved = "Kea's control socket was not moved to " + socket + " (dhcpv6.kea.control.socket): "
                + failed.getMessage();
        if (networks.isEmpty()) {
            return new DhcpException(notMoved + "; Kea stays on " + files.controlSocket(), failed);
        }
        try {
            kea.apply(KeaConfig.render(files, networks.values()));
        } catch (DhcpException restart) {
            failed.addSuppressed(restart);
            return new DhcpException(notMoved + "; starting Kea again on " + files.controlSocket()
                    + " failed too: " + restart.getMessage(), failed);
        }
        LOG.warn("Kea serves again on {}: it did not serve on {}", files.controlSocket(), socket);
        return new DhcpException(notMoved + "; Kea serves again on " + files.controlSocket(), failed);
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
