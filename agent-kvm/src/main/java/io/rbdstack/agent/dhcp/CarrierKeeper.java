package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps carrier on a served bridge while no guest NIC is up on it. Kea binds to an interface only when
 * it is up with carrier and a link-local address out of DAD, at start and at every config-set; a bridge
 * whose ports are all down (its VMs stopped, or not started yet) has none, and Kea would silently skip
 * it. The keeper is a veth pair, {@code rbc<hash>k} in the bridge and its peer {@code rbc<hash>p}, both
 * up and carrying no traffic (this kernel has no dummy driver). Any other kind of link is left as it is.
 */
final class CarrierKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(CarrierKeeper.class);
    private static final Duration LINK_LOCAL_WAIT = Duration.ofSeconds(5);

    private final HostLinks links;

    CarrierKeeper(HostLinks links) {
        this.links = links;
    }

    /** The bridge's keeper port: "rbc" + 8 hex digits of the bridge name's CRC-32 + "k" (12 characters). */
    static String keeperName(String bridge) {
        CRC32 crc = new CRC32();
        crc.update(bridge.getBytes(StandardCharsets.UTF_8));
        return String.format("rbc%08xk", crc.getValue());
    }

    static String peerName(String bridge) {
        return keeperName(bridge).substring(0, 11) + "p";
    }

    /** Idempotent. A missing link is refused: the bridge is made by vm.start (Bridges), not here. */
    void ensure(String bridge) throws InterruptedException {
        JsonNode link = links.link(bridge).orElseThrow(() -> new DhcpException("the link " + bridge
                + " does not exist on this host (the bridge is made when a VM's NIC joins it)"));
        if (!HostLinks.isBridge(link) || links.link(keeperName(bridge)).isPresent()) {
            return;
        }
        String keeper = keeperName(bridge);
        links.ip("link", "add", keeper, "type", "veth", "peer", "name", peerName(bridge));
        links.ip("link", "set", "dev", keeper, "master", bridge);
        links.ip("link", "set", "dev", peerName(bridge), "up");
        links.ip("link", "set", "dev", keeper, "up");
        awaitLinkLocal(bridge);
        LOG.info("Bridge {} kept with carrier by {} for DHCPv6", bridge, keeper);
    }

    /** Removes the keeper, if any (the bridge no longer served). */
    void remove(String bridge) throws InterruptedException {
        if (links.link(keeperName(bridge)).isPresent()) {
            links.ip("link", "del", "dev", keeperName(bridge));
        }
    }

    /** A bridge that just got carrier runs DAD on its link-local address (about 1 s); Kea needs it done. */
    private void awaitLinkLocal(String bridge) throws InterruptedException {
        long deadline = System.nanoTime() + LINK_LOCAL_WAIT.toNanos();
        while (!links.hasUsableLinkLocal(bridge)) {
            if (System.nanoTime() > deadline) {
                throw new DhcpException("bridge " + bridge + " has no usable link-local address after "
                        + LINK_LOCAL_WAIT.toSeconds() + " s (DAD failed, or IPv6 is off on it)");
            }
            Thread.sleep(50);
        }
    }
}
