package io.rbdstack.agent.dhcp;

import io.rbdstack.spi.net.Ipv6Cidr;
import io.rbdstack.spi.net.Rfc5952;

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
        try {
            Ipv6Cidr parsed = Ipv6Cidr.parse(cidr);
            return new Ipv6Prefix(parsed.network(), parsed.length());
        } catch (IllegalArgumentException e) {
            throw new DhcpException(e.getMessage());
        }
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Whether the address lies in this prefix. */
    public boolean contains(byte[] address) {
        return new Ipv6Cidr(network, length).contains(address);
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

        private Ipv6Text() {
        }

        static byte[] parse(String text) {
            try {
                return Ipv6Cidr.address(text);
            } catch (IllegalArgumentException e) {
                throw new DhcpException(e.getMessage());
            }
        }

        /** RFC 5952's canonical form. */
        static String format(byte[] address) {
            return Rfc5952.format(address);
        }
    }
}
