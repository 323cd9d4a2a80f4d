package io.rbdstack.agent.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpLifetimes;
import io.rbdstack.spi.agent.dhcp.DhcpReservation;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * dhcp.applyNetwork and dhcp.removeNetwork on real Linux bridges in a "host" namespace, with the guest's
 * veth as a bridge port (as a VM's tap): the gateway address, forwarding and carrier on the bridge, and
 * a NIC moved from one network's bridge to another's. Real Kea 2.2, radvd and ISC dhclient -6;
 * namespaces and links named rbk&lt;random&gt;, deleted afterwards.
 */
class KeaBridgeIT {

    private static final String MAC = "52:54:00:d6:c2:a9";
    private static final String PREFIX_A = "2001:db8:42::/64";
    private static final String GATEWAY_A = "2001:db8:42::1";
    private static final String ADDRESS_A = "2001:db8:42:0:5054:ff:fed6:c2a9";
    private static final String PREFIX_B = "2001:db8:43::/64";
    private static final String ADDRESS_B = "2001:db8:43:0:5054:ff:fed6:c2a9";
    private static final DhcpLifetimes LIFETIMES = new DhcpLifetimes(1000, 2000, 3000, 4000);
    private static final Duration LEASE_WAIT = Duration.ofSeconds(15);

    private final String networkA = UUID.randomUUID().toString();
    private final String networkB = UUID.randomUUID().toString();
    private KeaFixture kea;
    private String bridgeA;
    private String bridgeB;
    private NetnsPair netns;
    private Path dir;
    private CommandHandler agent;
    private Dhclient dhclient;

    @BeforeEach
    void setUp() throws Exception {
        kea = new KeaFixture("kea-bridge-it-");
        bridgeA = kea.id + "r";
        bridgeB = kea.id + "s";
        netns = kea.netns;
        dir = kea.dir;
        agent = kea.agent;
        dhclient = kea.dhclient;
        for (String bridge : List.of(bridgeA, bridgeB)) {
            NetnsPair.ip("-n", netns.host, "link", "add", bridge, "type", "bridge");
            NetnsPair.ip("-n", netns.host, "link", "set", bridge, "up");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        kea.close();
    }

    @Test
    void aBridgeWithNoPortUpGetsCarrierTheGatewayAndForwardingAndLosesThemWithItsNetwork() throws Exception {
        // The guest's port is in the bridge but down: the bridge has no carrier, as when its VMs stopped.
        NetnsPair.ip("-n", netns.host, "link", "set", netns.hostLink, "down");
        NetnsPair.ip("-n", netns.host, "link", "set", netns.hostLink, "master", bridgeA);
        assertEquals("0", sysfs(bridgeA, "carrier"), "no port up, no carrier");

        assertApplied(apply(networkA, bridgeA, PREFIX_A, GATEWAY_A, ADDRESS_A));
        assertApplied(apply(networkA, bridgeA, PREFIX_A, GATEWAY_A, ADDRESS_A));
        assertEquals("1", sysfs(bridgeA, "carrier"), "the keeper gives the bridge carrier");
        assertEquals(List.of(GATEWAY_A + "/64"), globalAddresses(bridgeA), "the gateway, once (idempotent)");
        assertEquals("1", forwarding(bridgeA));

        // Kea bound to the bridge although it had no carrier when the network arrived.
        NetnsPair.ip("-n", netns.host, "link", "set", netns.hostLink, "up");
        netns.guestMac(MAC);
        assertEquals(Optional.of(ADDRESS_A), dhclient.address("LL", LEASE_WAIT));

        assertTrue(agent.handle(new RemoveDhcpNetworkCommand(networkA)).success());
        assertEquals(List.of(), globalAddresses(bridgeA), "the gateway goes with the network");
        assertEquals("0", forwarding(bridgeA));
        assertFalse(linkExists(CarrierKeeper.keeperName(bridgeA)), "the keeper goes with the network");
        assertTrue(linkExists(bridgeA), "the bridge stays: it is the VMs'");
    }

    @Test
    void aNicMovedToAnotherNetworkHasItsReservationThereWithinASecondAndTheGuestThenGetsBsAddress() throws Exception {
        NetnsPair.ip("-n", netns.host, "link", "set", netns.hostLink, "master", bridgeA);
        assertApplied(apply(networkA, bridgeA, PREFIX_A, GATEWAY_A, ADDRESS_A));
        assertApplied(apply(networkB, bridgeB, PREFIX_B, "2001:db8:43::1", null));
        netns.guestMac(MAC);
        assertEquals(Optional.of(ADDRESS_A), dhclient.address("LL", LEASE_WAIT), "on network A first");

        // The move as the server sends it: A without the NIC, B with it; the VM's tap changes bridge.
        long start = System.nanoTime();
        assertApplied(apply(networkA, bridgeA, PREFIX_A, GATEWAY_A, null));
        assertApplied(apply(networkB, bridgeB, PREFIX_B, "2001:db8:43::1", ADDRESS_B));
        long applied = System.nanoTime();
        NetnsPair.ip("-n", netns.host, "link", "set", netns.hostLink, "master", bridgeB);
        Optional<String> address = dhclient.address("LL", LEASE_WAIT);
        long leased = System.nanoTime();
        System.out.printf("NIC moved: both applies in %d ms; the guest's new dhclient -6 had B's address %d ms after"
                + " the move began%n", ms(start, applied), ms(start, leased));
        assertEquals(Optional.of(ADDRESS_B), address, "B's address after the move");
        assertTrue(ms(start, applied) < 1000, "the reservation followed in " + ms(start, applied) + " ms");
        // How soon the guest has it is the client's timers (a random 0-1 s before its first Solicit, RFC 8415
        // 18.2.1, and 1 s more when that Solicit is lost): printed above (1.3-2.2 s measured), not asserted.

        KeaControl kea = new KeaControl(dir.resolve("dhcp").resolve("kea6-ctrl.sock"), Duration.ofSeconds(10));
        JsonNode leaseOfA = kea.call("lease6-get", JsonNodeFactory.instance.objectNode().put("ip-address", ADDRESS_A));
        assertTrue(leaseOfA.isMissingNode() || leaseOfA.isEmpty(), "A's lease is gone: " + leaseOfA);
        for (JsonNode subnet : kea.call("config-get", null).at("/Dhcp6/subnet6")) {
            int expected = subnet.path("subnet").asText().equals(PREFIX_B) ? 1 : 0;
            assertEquals(expected, subnet.path("reservations").size(), "reservations of " + subnet.path("subnet"));
        }
    }

    private Answer apply(String network, String bridge, String prefix, String gateway, String reserved) {
        List<DhcpReservation> reservations = reserved == null ? List.of() : List.of(new DhcpReservation(MAC, reserved, null));
        return agent.handle(new ApplyDhcpNetworkCommand(network, bridge, prefix, gateway, null, null, LIFETIMES,
                List.of("duid"), reservations));
    }

    private String sysfs(String link, String file) throws Exception {
        return NetnsPair.run("ip", "netns", "exec", netns.host, "cat", "/sys/class/net/" + link + "/" + file).strip();
    }

    private String forwarding(String link) throws Exception {
        return NetnsPair.run("ip", "netns", "exec", netns.host, "sysctl", "-n", "net/ipv6/conf/" + link + "/forwarding").strip();
    }

    private boolean linkExists(String link) throws Exception {
        return NetnsPair.run("ip", "-n", netns.host, "-o", "link", "show").contains(" " + link + ":");
    }

    private List<String> globalAddresses(String link) throws Exception {
        String out = NetnsPair.run("ip", "-n", netns.host, "-o", "-6", "addr", "show", "dev", link, "scope", "global");
        return out.lines().map(l -> l.replaceAll(".*inet6 (\\S+) .*", "$1")).toList();
    }

    private static void assertApplied(Answer answer) {
        assertTrue(answer.success(), answer.details());
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
