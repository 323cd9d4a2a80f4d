package io.rbdstack.server.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.infra.Ipv4;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuestSubnetTest {

    @Test
    void aValidRangeGivesItsCidrNetmaskAndSize() {
        GuestSubnet subnet = GuestSubnet.checked("10.1.2.1", "255.255.255.0", "10.1.2.10", "10.1.2.20");
        assertEquals("10.1.2.0/24", subnet.cidr());
        assertEquals("255.255.255.0", subnet.netmask());
        assertEquals(11, subnet.size());
        assertTrue(subnet.inRange(ip("10.1.2.10")));
        assertTrue(subnet.inRange(ip("10.1.2.20")));
        assertFalse(subnet.inRange(ip("10.1.2.21")));
        GuestSubnet below = GuestSubnet.checked("192.168.1.254", "255.255.254.0", "192.168.0.1", "192.168.1.253");
        assertEquals("192.168.0.0/23", below.cidr(), "the gateway may sit above or below the range");
    }

    @Test
    void theRangeMustLieInsideTheSubnetWithoutTheGatewayNetworkOrBroadcastAddress() {
        assertRefused("startip", "not a host address of 10.1.2.0/24",
                "10.1.2.1", "255.255.255.0", "10.1.3.10", "10.1.2.20");
        assertRefused("endip", "not a host address of 10.1.2.0/24",
                "10.1.2.1", "255.255.255.0", "10.1.2.10", "10.1.3.20");
        assertRefused("startip", "not a host address", "10.1.2.1", "255.255.255.0", "10.1.2.0", "10.1.2.20");
        assertRefused("endip", "not a host address", "10.1.2.1", "255.255.255.0", "10.1.2.2", "10.1.2.255");
        assertRefused("endip", "before startip 10.1.2.20", "10.1.2.1", "255.255.255.0", "10.1.2.20", "10.1.2.10");
        assertRefused("gateway", "inside the range 10.1.2.1-10.1.2.20", "10.1.2.5", "255.255.255.0", "10.1.2.1",
                "10.1.2.20");
        assertRefused("gateway", "the network or broadcast address", "10.1.2.0", "255.255.255.0", "10.1.2.1",
                "10.1.2.20");
        assertRefused("netmask", "not a contiguous netmask", "10.1.2.1", "255.0.255.0", "10.1.2.2", "10.1.2.3");
        assertRefused("netmask", "prefix length from 1 to 30", "10.1.2.1", "255.255.255.255", "10.1.2.1",
                "10.1.2.1");
        assertRefused("startip", "not an IPv4 address", "10.1.2.1", "255.255.255.0", "10.1.2", "10.1.2.3");
    }

    @Test
    void rangesOverlapWhenTheyShareOneAddress() {
        GuestSubnet subnet = GuestSubnet.checked("10.0.0.1", "255.255.255.0", "10.0.0.10", "10.0.0.20");
        assertTrue(subnet.overlaps(ip("10.0.0.20"), ip("10.0.0.30")));
        assertTrue(subnet.overlaps(ip("10.0.0.1"), ip("10.0.0.10")));
        assertTrue(subnet.overlaps(ip("10.0.0.12"), ip("10.0.0.13")));
        assertFalse(subnet.overlaps(ip("10.0.0.21"), ip("10.0.0.30")));
        assertFalse(subnet.overlaps(ip("10.0.0.2"), ip("10.0.0.9")));
    }

    @Test
    void theFirstFreeAddressIsTheLowestNotTakenAndNoneWhenAllAre() {
        GuestSubnet subnet = GuestSubnet.checked("10.0.0.1", "255.255.255.0", "10.0.0.10", "10.0.0.12");
        assertEquals(OptionalLong.of(ip("10.0.0.10")), subnet.firstFree(Set.of()));
        assertEquals(OptionalLong.of(ip("10.0.0.11")), subnet.firstFree(Set.of(ip("10.0.0.10"), ip("10.0.0.12"))));
        assertEquals(OptionalLong.empty(), subnet.firstFree(Set.of(ip("10.0.0.10"), ip("10.0.0.11"),
                ip("10.0.0.12"))));
    }

    private static long ip(String address) {
        return Ipv4.parse(address, "ip");
    }

    private static void assertRefused(String param, String why, String gateway, String netmask, String start,
                                      String end) {
        ApiException e = assertThrows(ApiException.class, () -> GuestSubnet.checked(gateway, netmask, start, end));
        assertTrue(e.getMessage().contains("for parameter " + param + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
