package io.rbdstack.server.infra;

import io.rbdstack.server.api.ApiException;

/** The little IPv4 arithmetic pods and guest networks need: validation, netmask ↔ prefix length, network address. */
public final class Ipv4 {

    private Ipv4() {
    }

    public static long parse(String address, String param) {
        String[] parts = address.split("\\.");
        if (parts.length != 4) {
            throw invalid(address, param);
        }
        long value = 0;
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                throw invalid(address, param);
            }
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    public static String format(long value) {
        return ((value >> 24) & 255) + "." + ((value >> 16) & 255) + "." + ((value >> 8) & 255) + "." + (value & 255);
    }

    /** Prefix length of a netmask such as 255.255.255.0; 431 if it isn't a contiguous mask. */
    public static int prefixLength(String netmask) {
        long mask = parse(netmask, "netmask");
        int bits = Long.bitCount(mask);
        long expected = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        if (mask != expected) {
            throw ApiException.invalidParameter("Invalid value '" + netmask + "' for parameter netmask: not a contiguous netmask");
        }
        return bits;
    }

    public static String netmask(int prefixLength) {
        return format(prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL);
    }

    public static String network(String address, int prefixLength) {
        long mask = prefixLength == 0 ? 0 : (0xFFFFFFFFL << (32 - prefixLength)) & 0xFFFFFFFFL;
        return format(parse(address, "gateway") & mask);
    }

    private static ApiException invalid(String address, String param) {
        return ApiException.invalidParameter("Invalid value '" + address + "' for parameter " + param + ": not an IPv4 address");
    }
}
