package io.rbdstack.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** VLAN ids, bridge names and network domains as createNetwork reads them. */
class NetworkNamesTest {

    @Test
    void aVlanIsANumberFrom1To4094BareOrAsAUriOrUntagged() {
        assertEquals(Optional.of(100), VlanIds.parse("100"));
        assertEquals(Optional.of(4094), VlanIds.parse("vlan://4094"));
        assertEquals(Optional.empty(), VlanIds.parse("untagged"));
        assertEquals(Optional.empty(), VlanIds.parse("vlan://untagged"));
        for (String bad : new String[] {"0", "4095", "-1", "ten", "vlan://", "12345", "lswitch:1"}) {
            ApiException e = assertThrows(ApiException.class, () -> VlanIds.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("Invalid value '" + bad + "' for parameter vlan: "), e.getMessage());
        }
    }

    @Test
    void aVlanBridgeIsNamedTheCloudStackWayAndMustFitIfnamsiz() {
        assertEquals("breth0-100", BridgeNames.forVlan("eth0", 100));
        assertEquals("brbond0.5-4094", BridgeNames.forVlan("bond0.5", 4094));
        ApiException e = assertThrows(ApiException.class, () -> BridgeNames.forVlan("enp0s31f6", 1234));
        assertTrue(e.getMessage().contains("brenp0s31f6-1234, longer than 15 characters; name one with parameter"
                + " bridge"), e.getMessage());
    }

    @Test
    void bridgeAndUplinkNamesAreLinuxInterfaceNames() {
        assertEquals("cloudbr0", BridgeNames.checked("cloudbr0", "bridge"));
        assertEquals("a_b.c-1", BridgeNames.checked("a_b.c-1", "bridge"));
        for (String bad : new String[] {"", "-br", "br 0", "br/0", "eth0:1", "abcdefghijklmnop"}) {
            ApiException e = assertThrows(ApiException.class, () -> BridgeNames.checked(bad, "uplink"), bad);
            assertTrue(e.getMessage().startsWith("Invalid value '" + bad + "' for parameter uplink: not a Linux"
                    + " interface name"), e.getMessage());
        }
    }

    @Test
    void aNetworkDomainIsDotSeparatedHostNameLabels() {
        assertEquals("cloud.example.com", NetworkCommands.checkedNetworkDomain("cloud.example.com"));
        assertEquals("a-1", NetworkCommands.checkedNetworkDomain("a-1"));
        for (String bad : new String[] {"-a.com", "a-.com", "a..com", "1abc", "a_b.com", "a.com."}) {
            ApiException e = assertThrows(ApiException.class, () -> NetworkCommands.checkedNetworkDomain(bad), bad);
            assertTrue(e.getMessage().startsWith("Invalid value '" + bad + "' for parameter networkdomain: "),
                    e.getMessage());
        }
    }
}
