package io.rbdstack.spi.net;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The modified EUI-64 interface identifier of a MAC (RFC 4291 appendix A: ff:fe in the middle, the
 * universal/local bit flipped) and the address it makes in a /64: the one SLAAC gives the NIC, so a
 * guest's DHCPv6 address and its SLAAC address agree. 52:54:00:d6:c2:a9 in 2001:db8::/64 is
 * 2001:db8::5054:ff:fed6:c2a9. The server computes NICs' addresses with it, the agent its reservations.
 */
public final class Eui64 {

    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    private Eui64() {
    }

    /** The 6 bytes of a MAC written as six hex pairs separated by colons (either case). */
    public static byte[] macBytes(String mac) {
        if (mac == null || !MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("'" + mac + "' is not a MAC address (six hex pairs separated by colons)");
        }
        return HexFormat.ofDelimiter(":").parseHex(mac);
    }

    /** The 8-byte interface identifier of a 6-byte MAC. */
    public static byte[] interfaceId(byte[] mac) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
        }
        return new byte[] {(byte) (mac[0] ^ 0x02), mac[1], mac[2], (byte) 0xff, (byte) 0xfe, mac[3], mac[4], mac[5]};
    }

    /** The NIC's address in {@code prefix}, which must be a /64, in RFC 5952 form. */
    public static String address(byte[] mac, Ipv6Cidr prefix) {
        if (prefix.length() != 64) {
            throw new IllegalArgumentException("EUI-64 addresses need a /64, not " + prefix);
        }
        byte[] address = prefix.network();
        System.arraycopy(interfaceId(mac), 0, address, 8, 8);
        return Rfc5952.format(address);
    }
}
