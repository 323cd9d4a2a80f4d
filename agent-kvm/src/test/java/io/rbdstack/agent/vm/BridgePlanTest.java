package io.rbdstack.agent.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BridgePlanTest {

    /** A host's links in memory. */
    private static final class FakeLinks implements Links {
        final Set<String> links = new HashSet<>();
        final Set<String> bridges = new HashSet<>();
        final Map<String, String> masters = new HashMap<>();

        @Override
        public boolean exists(String name) {
            return links.contains(name) || bridges.contains(name);
        }

        @Override
        public boolean isBridge(String name) {
            return bridges.contains(name);
        }

        @Override
        public Optional<String> master(String name) {
            return Optional.ofNullable(masters.get(name));
        }
    }

    private final FakeLinks host = new FakeLinks();

    @Test
    void aMissingBridgeIsCreatedEmptyAndUp() {
        assertEquals(List.of(List.of("ip", "link", "add", "name", "cloudbr0", "type", "bridge"),
                List.of("sysctl", "-qw", "net/ipv6/conf/cloudbr0/accept_dad=0"),
                List.of("ip", "link", "set", "dev", "cloudbr0", "up")), BridgePlan.plan("cloudbr0", null, null, host));
    }

    @Test
    void anExistingBridgeIsUsedAsItIs() {
        host.bridges.add("cloudbr0");
        assertEquals(List.of(), BridgePlan.plan("cloudbr0", null, null, host));
    }

    @Test
    void aVlanBridgeGetsTheUplinksSubinterfaceEnslaved() {
        host.links.add("eth1");
        assertEquals(List.of(List.of("ip", "link", "add", "name", "brvlan100", "type", "bridge"),
                List.of("sysctl", "-qw", "net/ipv6/conf/brvlan100/accept_dad=0"),
                List.of("ip", "link", "set", "dev", "brvlan100", "up"),
                List.of("ip", "link", "add", "link", "eth1", "name", "eth1.100", "type", "vlan", "id", "100"),
                List.of("ip", "link", "set", "dev", "eth1.100", "master", "brvlan100"),
                List.of("ip", "link", "set", "dev", "eth1.100", "up")), BridgePlan.plan("brvlan100", 100, "eth1", host));
    }

    @Test
    void aSecondPlanOnceAllIsThereIsEmpty() {
        host.links.add("eth1");
        host.links.add("eth1.100");
        host.bridges.add("brvlan100");
        host.masters.put("eth1.100", "brvlan100");
        assertEquals(List.of(), BridgePlan.plan("brvlan100", 100, "eth1", host));
    }

    @Test
    void aHalfDoneVlanBridgeIsFinished() {
        host.links.add("eth1");
        host.links.add("eth1.100");
        host.bridges.add("brvlan100");
        assertEquals(List.of(List.of("ip", "link", "set", "dev", "eth1.100", "master", "brvlan100"),
                List.of("ip", "link", "set", "dev", "eth1.100", "up")), BridgePlan.plan("brvlan100", 100, "eth1", host));
    }

    @Test
    void whatCannotBeDoneIsRefusedSayingWhy() {
        host.links.add("eth0");
        host.links.add("eth0.7");
        host.bridges.add("other");
        host.masters.put("eth0.7", "other");
        assertMessage("the link eth0 exists on this host and is not a bridge", () -> BridgePlan.plan("eth0", null, null, host));
        assertMessage("eth0.7 is already in bridge other, not br7", () -> BridgePlan.plan("br7", 7, "eth0", host));
        assertMessage("the uplink eth9 of bridge br9 does not exist on this host", () -> BridgePlan.plan("br9", 9, "eth9", host));
        assertMessage("bridge br9 with VLAN 9 needs an uplink", () -> BridgePlan.plan("br9", 9, null, host));
        assertMessage("VLAN 4095 is out of range 1-4094", () -> BridgePlan.plan("br9", 4095, "eth0", host));
        assertTrue(assertThrows(VmException.class, () -> BridgePlan.plan("a-name-too-long0", null, null, host))
                .getMessage().startsWith("the bridge name 'a-name-too-long0' is not a valid interface name"));
        assertTrue(assertThrows(VmException.class, () -> BridgePlan.plan("br0", 4000, "uplink-name", host))
                .getMessage().startsWith("the VLAN subinterface name 'uplink-name.4000' is not a valid interface name"));
        assertThrows(VmException.class, () -> BridgePlan.plan("br 0", null, null, host));
        assertThrows(VmException.class, () -> BridgePlan.plan("br/0", null, null, host));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable plan) {
        assertEquals(expected, assertThrows(VmException.class, plan).getMessage());
    }
}
