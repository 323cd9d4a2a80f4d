package io.rbdstack.spi.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv6CidrTest {

    @Test
    void parsesToTheCanonicalForm() {
        assertEquals("2001:db8:100::/56", Ipv6Cidr.parse("2001:0DB8:0100:0000::/56").toString());
    }

    @Test
    void refusesHostBitsNamesAndMissingLengths() {
        assertEquals("'2001:db8::1/64' has host bits set beyond /64",
                assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("2001:db8::1/64")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("example.com/64"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("10.0.0.0/8"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("2001:db8::"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Cidr.parse("2001:db8::/129"));
    }

    @Test
    void overlapsWhenOneHoldsTheOther() {
        Ipv6Cidr wide = Ipv6Cidr.parse("2001:db8::/48");
        assertTrue(wide.overlaps(Ipv6Cidr.parse("2001:db8:0:ff00::/56")));
        assertTrue(Ipv6Cidr.parse("2001:db8:0:ff00::/56").overlaps(wide));
        assertFalse(wide.overlaps(Ipv6Cidr.parse("2001:db9::/48")));
    }

    @Test
    void countsAndNumbersItsSubnets() {
        Ipv6Cidr prefix = Ipv6Cidr.parse("2001:db8:100::/56");
        assertEquals(256, prefix.subnetCount(64));
        assertEquals("2001:db8:100::/64", prefix.subnet(0, 64).toString());
        assertEquals("2001:db8:100:ff::/64", prefix.subnet(255, 64).toString());
        assertEquals(255, prefix.indexOf(Ipv6Cidr.parse("2001:db8:100:ff::/64")));
        assertThrows(IllegalArgumentException.class, () -> prefix.subnet(256, 64));
        assertEquals(1L << 61, Ipv6Cidr.parse("2000::/3").subnetCount(64));
        assertEquals(1L << 62, Ipv6Cidr.parse("::/0").subnetCount(64), "capped so it fits a long");
    }

    @Test
    void eui64GivesTheSlaacAddress() {
        assertEquals("2001:db8::5054:ff:fed6:c2a9", Eui64.address(Eui64.macBytes("52:54:00:d6:c2:a9"),
                Ipv6Cidr.parse("2001:db8::/64")));
        assertThrows(IllegalArgumentException.class, () -> Eui64.macBytes("52:54:00:d6:c2"));
        assertThrows(IllegalArgumentException.class, () -> Eui64.address(Eui64.macBytes("52:54:00:d6:c2:a9"),
                Ipv6Cidr.parse("2001:db8::/56")));
    }
}
