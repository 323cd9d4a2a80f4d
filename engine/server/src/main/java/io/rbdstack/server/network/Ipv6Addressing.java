package io.rbdstack.server.network;

import io.rbdstack.server.api.ApiException;
import io.rbdstack.spi.net.Ipv6Cidr;
import io.rbdstack.spi.net.Rfc5952;
import java.util.Optional;

/** The checks of a dual-stack network's IPv6 parameters, each refusal a 431 naming its parameter. */
final class Ipv6Addressing {

    private Ipv6Addressing() {
    }

    /** An IPv6 prefix without host bits, in its canonical form; else 431 naming {@code parameter}. */
    static Ipv6Cidr checkedPrefix(String given, String parameter) {
        try {
            return Ipv6Cidr.parse(given.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter " + parameter + ": "
                    + e.getMessage());
        }
    }

    /** ip6cidr: a /64 without host bits, in its canonical form. */
    static Ipv6Cidr checkedSubnet(String given) {
        Ipv6Cidr cidr = checkedPrefix(given, "ip6cidr");
        if (cidr.length() != GuestIpv6PrefixRepository.SUBNET_LENGTH) {
            throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter ip6cidr: a dual-stack"
                    + " network has a /64 (its NICs' EUI-64 addresses and SLAAC need one), not a /" + cidr.length());
        }
        return cidr;
    }

    /** ip6gateway: an address of the /64 other than its network address, in canonical form. */
    static String checkedGateway(String given, Ipv6Cidr subnet) {
        byte[] address;
        try {
            address = Ipv6Cidr.address(given.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter ip6gateway: "
                    + e.getMessage());
        }
        if (!subnet.contains(address) || java.util.Arrays.equals(address, subnet.network())) {
            throw ApiException.invalidParameter("Invalid value '" + given + "' for parameter ip6gateway: not a host"
                    + " address of " + subnet);
        }
        return Rfc5952.format(address);
    }

    /** updateNetwork takes a network's IPv6 only as it is: a change is refused rather than ignored. */
    static void refuseChange(String parameter, Optional<String> given, String current) {
        given.ifPresent(value -> {
            if (!same(value, current)) {
                throw ApiException.invalidParameter("Invalid value '" + value + "' for parameter " + parameter + ": a"
                        + " network's IPv6 addressing cannot be changed (it is " + (current == null ? "none, the"
                        + " network being IPv4 only" : current) + "); create another network");
            }
        });
    }

    private static boolean same(String given, String current) {
        if (current == null) {
            return false;
        }
        try {
            return current.contains("/") ? Ipv6Cidr.parse(given.trim()).toString().equals(current)
                    : Rfc5952.format(Ipv6Cidr.address(given.trim())).equals(current);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
