package io.rbdstack.spi.net;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv6 prefix such as 2001:db8::/64: its network address (host bits zero) and its length. Parsing
 * never resolves a name and refuses host bits set beyond the length (the caller meant another prefix);
 * {@link #toString()} is RFC 5952's canonical form, so two spellings of one prefix compare equal as text.
 */
public record Ipv6Cidr(byte[] network, int length) {

    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");

    public Ipv6Cidr {
        if (network.length != 16 || length < 0 || length > 128) {
            throw new IllegalArgumentException("not an IPv6 prefix: " + network.length + " bytes, /" + length);
        }
        network = network.clone();
    }

    /** Parses {@code address/length}; the message of the IllegalArgumentException says what is wrong. */
    public static Ipv6Cidr parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IPv6 prefix (address/length)");
        }
        byte[] address = address(cidr.substring(0, slash));
        int length;
        try {
            length = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + cidr + "' has no prefix length");
        }
        if (length < 0 || length > 128) {
            throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0..128");
        }
        for (int bit = length; bit < 128; bit++) {
            if (bitSet(address, bit)) {
                throw new IllegalArgumentException("'" + cidr + "' has host bits set beyond /" + length);
            }
        }
        return new Ipv6Cidr(address, length);
    }

    /** The 16 bytes of an IPv6 literal (no name lookup: only a literal reaches InetAddress). */
    public static byte[] address(String text) {
        if (text == null || !text.contains(":") || !LITERAL.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
        }
        try {
            if (InetAddress.getByName(text) instanceof Inet6Address v6) {
                return v6.getAddress();
            }
        } catch (UnknownHostException e) {
            // falls through to the refusal below
        }
        throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** Whether the address lies in this prefix. */
    public boolean contains(byte[] address) {
        for (int bit = 0; bit < length; bit++) {
            if (bitSet(address, bit) != bitSet(network, bit)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the two prefixes share an address: one then holds the other. */
    public boolean overlaps(Ipv6Cidr other) {
        return length <= other.length ? contains(other.network) : other.contains(network);
    }

    /** How many prefixes of {@code subLength} bits this one holds (at most 2^62, so it fits a long). */
    public long subnetCount(int subLength) {
        if (subLength < length || subLength > 128) {
            throw new IllegalArgumentException("/" + subLength + " does not fit in " + this);
        }
        return 1L << Math.min(62, subLength - length);
    }

    /** The {@code index}-th prefix of {@code subLength} bits inside this one, counting from 0. */
    public Ipv6Cidr subnet(long index, int subLength) {
        if (index < 0 || index >= subnetCount(subLength)) {
            throw new IllegalArgumentException("no subnet " + index + " of /" + subLength + " in " + this);
        }
        BigInteger base = new BigInteger(1, network);
        BigInteger value = base.add(BigInteger.valueOf(index).shiftLeft(128 - subLength));
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[16];
        int copy = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
        return new Ipv6Cidr(bytes, subLength);
    }

    /** The index of {@code sub} among this prefix's subnets of its length (the inverse of {@link #subnet}). */
    public long indexOf(Ipv6Cidr sub) {
        if (!contains(sub.network) || sub.length < length) {
            throw new IllegalArgumentException(sub + " is not inside " + this);
        }
        return new BigInteger(1, sub.network).subtract(new BigInteger(1, network)).shiftRight(128 - sub.length)
                .longValueExact();
    }

    /** The network address in RFC 5952 form. */
    public String address() {
        return Rfc5952.format(network);
    }

    private static boolean bitSet(byte[] address, int bit) {
        return (address[bit / 8] & (0x80 >>> (bit % 8))) != 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Ipv6Cidr p && p.length == length && Arrays.equals(p.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + length;
    }

    @Override
    public String toString() {
        return address() + "/" + length;
    }
}
