package io.rbdstack.server.api;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Forms a string parameter must have beyond its type; each says, when it is not met, what was expected. */
public enum Format {
    ANY {
        @Override
        String problem(String value) {
            return null;
        }
    },
    IPV4 {
        @Override
        String problem(String value) {
            return isIpv4(value) ? null : "not an IPv4 address";
        }
    },
    IPV6 {
        @Override
        String problem(String value) {
            return isIpv6(value) ? null : "not an IPv6 address";
        }
    },
    /** An IPv4 network, a.b.c.d/n with n from 0 to 32. */
    CIDR_V4 {
        @Override
        String problem(String value) {
            int slash = value.indexOf('/');
            if (slash < 0 || !isIpv4(value.substring(0, slash)) || !PREFIX.matcher(value.substring(slash + 1)).matches()
                    || Integer.parseInt(value.substring(slash + 1)) > 32) {
                return "not an IPv4 CIDR such as 10.1.0.0/16 (prefix length 0 to 32)";
            }
            return null;
        }
    };

    private static final Pattern OCTET = Pattern.compile("25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d");
    private static final Pattern PREFIX = Pattern.compile("\\d{1,2}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");

    /** Null when the value has this form, else what it should have been. */
    abstract String problem(String value);

    static boolean isIpv4(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (!OCTET.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String value) {
        // Only hex digits, colons and dots: InetAddress then parses a literal and never asks DNS.
        // Starting with a hex digit or ':' too, else the JDK would take ".:1" for a host name to look up.
        if (!value.contains(":") || !IPV6_CHARS.matcher(value).matches() || value.charAt(0) == '.') {
            return false;
        }
        try {
            return InetAddress.getByName(value) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
