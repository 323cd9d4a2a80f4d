package io.rbdstack.agent.dhcp;

import io.rbdstack.spi.net.Rfc5952;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv6 prefix such as 2001:db8::/64: its address with the host bits zero, and its length. */
public record Ipv6Prefix(byte[] network, int length) {

    public Ipv6Prefix {
        if (network.length != 16 || length < 0 || length > 128) {
            throw new IllegalArgumentException("not an IPv6 prefix: " + network.length + " bytes, /" + length);
        }
        network = network.clone();
    }

    /** Parses {@code address/length}; host bits set (2001:db8::1/64) are refused: the caller meant another prefix. */
    public static Ipv6Prefix parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            throw new DhcpException("'" + cidr + "' is not an IPv6 prefix (address/length)");
        }
        byte[] address = Ipv6Text.parse(cidr.substring(0, slash));
        int length;
        try {
            length = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new DhcpException("'" + cidr + "' has no prefix length");
        }
        if (length < 0 || length > 128) {
            throw new DhcpException("'" + cidr + "' has a prefix length outside 0..128");
        }
        for (int bit = length; bit < 128; bit++) {
            if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                throw new DhcpException("'" + cidr + "' has host bits set beyond /" + length);
            }
        }
        return new Ipv6Prefix(address, length);
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Whether the address lies in this prefix. */
    public boolean contains(byte[] address) {
        for (int bit = 0; bit < length; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The network address alone, in RFC 5952 form (Kea's {@code prefix} field). */
    public String address() {
        return Ipv6Text.format(network);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ipv6Prefix p && p.length == length && java.util.Arrays.equals(p.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + length;
    }

    @Override
    public String toString() {
        return address() + "/" + length;
    }

    /** IPv6 literals: parsed without any name lookup, printed in RFC 5952's canonical form. */
    static final class Ipv6Text {

        private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");

        private Ipv6Text() {
        }

        static byte[] parse(String text) {
            // Only a literal reaches InetAddress, so it never resolves a name.
            if (text == null || !text.contains(":") || !LITERAL.matcher(text).matches()) {
                throw new DhcpException("'" + text + "' is not an IPv6 address");
            }
            try {
                InetAddress address = InetAddress.getByName(text);
                if (!(address instanceof Inet6Address)) {
                    throw new DhcpException("'" + text + "' is not an IPv6 address");
                }
                return address.getAddress();
            } catch (UnknownHostException e) {
                throw new DhcpException("'" + text + "' is not an IPv6 address");
            }
        }

        /** RFC 5952's canonical form. */
        static String format(byte[] address) {
            return Rfc5952.format(address);
        }
    }
}
