package io.rbdstack.agent.dhcp;

import io.rbdstack.spi.net.Ipv6Cidr;

/**
 * The modified EUI-64 interface identifier of a MAC (RFC 4291 appendix A: ff:fe in the middle, the
 * universal/local bit flipped) and the address it makes in a /64: the one SLAAC would give the NIC,
 * so a guest's DHCPv6 address and its SLAAC address agree. 52:54:00:d6:c2:a9 in 2001:db8::/64 is
 * 2001:db8::5054:ff:fed6:c2a9. The computation is the engine API's ({@link io.rbdstack.spi.net.Eui64}), shared
 * with the server, which records each NIC's address.
 */
public final class Eui64 {

    private Eui64() {
    }

    /** The 8-byte interface identifier. */
    public static byte[] interfaceId(MacAddress mac) {
        return io.rbdstack.spi.net.Eui64.interfaceId(mac.bytes());
    }

    /** The NIC's address in {@code prefix}, which must be a /64. */
    public static String address(MacAddress mac, Ipv6Prefix prefix) {
        if (prefix.length() != 64) {
            throw new DhcpException("EUI-64 addresses need a /64, not " + prefix);
        }
        return io.rbdstack.spi.net.Eui64.address(mac.bytes(), new Ipv6Cidr(prefix.network(), prefix.length()));
    }
}
