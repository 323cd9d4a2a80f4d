package io.rbdstack.agent.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Eui64Test {

    private static final Ipv6Prefix DOC = Ipv6Prefix.parse("2001:db8::/64");

    @Test
    void theIssuesExampleGivesTheSlaacAddress() {
        assertEquals("2001:db8::5054:ff:fed6:c2a9", Eui64.address(MacAddress.parse("52:54:00:d6:c2:a9"), DOC));
    }

    @Test
    void theInterfaceIdFlipsTheUniversalLocalBitAndInsertsFffe() {
        assertArrayEquals(HexFormat.of().parseHex("5054 00ff fed6 c2a9".replace(" ", "")),
                Eui64.interfaceId(MacAddress.parse("52:54:00:d6:c2:a9")));
        // A locally administered 02: MAC (CloudStack's) loses the bit: 00..
        assertEquals("2001:db8:0:1:0:ff:fe00:1", Eui64.address(MacAddress.parse("02:00:00:00:00:01"),
                Ipv6Prefix.parse("2001:db8:0:1::/64")));
        // A universal MAC gains it.
        assertEquals("fd00::21e:c2ff:fe00:1", Eui64.address(MacAddress.parse("00:1E:C2:00:00:01"),
                Ipv6Prefix.parse("fd00::/64")));
    }

    @Test
    void onlyASlash64TakesAnEui64Address() {
        assertThrows(DhcpException.class, () -> Eui64.address(MacAddress.parse("52:54:00:d6:c2:a9"),
                Ipv6Prefix.parse("2001:db8::/56")));
    }

    @Test
    void malformedMacsAndPrefixesAreRefusedNamingTheValue() {
        assertEquals("'52:54:00:d6:c2' is not a MAC address (six hex pairs separated by colons)",
                assertThrows(DhcpException.class, () -> MacAddress.parse("52:54:00:d6:c2")).getMessage());
        assertThrows(DhcpException.class, () -> Ipv6Prefix.parse("2001:db8::1/64"));
        assertThrows(DhcpException.class, () -> Ipv6Prefix.parse("example.com/64"));
        assertThrows(DhcpException.class, () -> Ipv6Prefix.parse("10.0.0.0/8"));
    }

    @Test
    void addressesArePrintedInRfc5952Form() {
        assertEquals("2001:db8::1:0:0:1", Ipv6Prefix.Ipv6Text.format(Ipv6Prefix.Ipv6Text.parse("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:0:0:1::1", Ipv6Prefix.Ipv6Text.format(Ipv6Prefix.Ipv6Text.parse("2001:0:0:1:0:0:0:1")));
        assertEquals("::", Ipv6Prefix.Ipv6Text.format(new byte[16]));
        assertEquals("2001:db8:0:1:1:1:1:1", Ipv6Prefix.Ipv6Text.format(Ipv6Prefix.Ipv6Text.parse("2001:DB8:0:1:1:1:1:1")));
    }
}
