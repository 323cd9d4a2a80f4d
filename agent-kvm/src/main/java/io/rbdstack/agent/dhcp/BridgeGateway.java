package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the host the guests' router on a served bridge, as the router advertisements say: the network's
 * gateway address on the bridge ({@code ip -6 addr replace}, so idempotent; {@code nodad}: the host
 * owns it, and guests may use it at once) and the bridge's own IPv6 {@code forwarding} on (router
 * behaviour on that link: neighbour advertisements with the router flag, no RAs taken from guests).
 *
 * <p>The kernel forwards IPv6 between links only with {@code net.ipv6.conf.all.forwarding=1}. The agent
 * does not set that: it turns every link into a router, and the uplink then ignores the RAs that may
 * give the host its own default route. When it is off, a warning says so once per bridge; the admin
 * sets it (with {@code accept_ra=2} on an uplink that needs RAs).
 */
final class BridgeGateway {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeGateway.class);

    private final HostLinks links;
    private final Set<String> warned = new HashSet<>();

    BridgeGateway(HostLinks links) {
        this.links = links;
    }

    void ensure(String bridge, String gateway, int prefixLength) throws InterruptedException {
        links.ip("-6", "addr", "replace", gateway + "/" + prefixLength, "dev", bridge, "nodad");
        links.setIpv6Conf(bridge, "forwarding", "1");
        if (!"1".equals(links.ipv6Conf("all", "forwarding")) && warned.add(bridge)) {
            LOG.warn("IPv6 forwarding is off on this host (net.ipv6.conf.all.forwarding=0): guests on {} reach"
                    + " the gateway {} but nothing beyond it", bridge, gateway);
        }
    }

    /** Removes the gateway address; with {@code lastOnBridge}, the bridge's forwarding goes off again. */
    void remove(String bridge, String gateway, int prefixLength, boolean lastOnBridge) throws InterruptedException {
        if (links.link(bridge).isEmpty()) {
            return;
        }
        if (holds(bridge, gateway)) {
            links.ip("-6", "addr", "del", gateway + "/" + prefixLength, "dev", bridge);
        }
        if (lastOnBridge) {
            links.setIpv6Conf(bridge, "forwarding", "0");
            warned.remove(bridge);
        }
    }

    /** Whether the address is on the link (compared as bytes: ip prints its own textual form). */
    boolean holds(String bridge, String gateway) throws InterruptedException {
        byte[] wanted = Ipv6Prefix.Ipv6Text.parse(gateway);
        for (JsonNode address : links.ipv6Addresses(bridge)) {
            if (Arrays.equals(wanted, Ipv6Prefix.Ipv6Text.parse(address.path("local").asText("::")))) {
                return true;
            }
        }
        return false;
    }
}
