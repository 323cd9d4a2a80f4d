package io.rbdstack.storage.rbd;

import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a monitor list: {@code mon[:port]{,mon[:port]}}. Each mon is a host name, an IPv4 address
 * or a bracketed IPv6 address.
 *
 * <p>A port on the LAST monitor is the list's shared port. It applies to every monitor without a port
 * of its own, which gives CloudStack's form {@code mon1,mon2:6789}. A {@code port} detail replaces
 * the shared port. Without either, the port is 6789: Ceph's v1 monitor port and CloudStack's default.
 * Give 3300 for msgr v2.
 *
 * <p>Hosts are made canonical (names in lower case, IPv6 in RFC 5952 form), and repeated
 * monitors are dropped, first one kept. Messages name a monitor by its position and never quote it:
 * if the url was split wrongly, this text may hold the secret.
 */
final class MonitorListParser {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final int MAX_NAME_LENGTH = 253;

    private MonitorListParser() {
    }

    /** One written monitor: its canonical host and the port written after it, if any. */
    private record Written(String host, OptionalInt port) {
    }

    /**
     * @param sharedPortOverride the {@code port} detail, if given: it replaces the shared port
     */
    static List<CephMonitor> parse(String text, String parameter, OptionalInt sharedPortOverride)
            throws InvalidRbdDefinitionException {
        if (text.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidRbdDefinitionException(parameter, "the monitor list contains whitespace; separate"
                    + " monitors with ',' alone");
        }
        String[] entries = text.split(",", -1);
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < entries.length; i++) {
            written.add(parseEntry(entries[i], parameter, "monitor " + (i + 1) + " of " + entries.length));
        }
        Written last = written.get(written.size() - 1);
        int sharedPort = sharedPortOverride.orElse(last.port().orElse(CephMonitor.V1_PORT));
        Set<CephMonitor> monitors = new LinkedHashSet<>();
        for (int i = 0; i < written.size() - 1; i++) {
            monitors.add(new CephMonitor(written.get(i).host(), written.get(i).port().orElse(sharedPort)));
        }
        monitors.add(new CephMonitor(last.host(), sharedPort));
        return List.copyOf(monitors);
    }

    /**
     * A port: 1 to 65535, decimal digits only.
     *
     * @param where which monitor the port belongs to, for the message; null for the {@code port} detail
     */
    static int port(String text, String parameter, String where) throws InvalidRbdDefinitionException {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new InvalidRbdDefinitionException(parameter, (where == null ? "" : where + ": ")
                    + "the port is not a number from 1 to 65535");
        }
        return Integer.parseInt(text);
    }

    private static Written parseEntry(String entry, String parameter, String where)
            throws InvalidRbdDefinitionException {
        if (entry.isEmpty()) {
            throw new InvalidRbdDefinitionException(parameter, where + " is empty (a leading, trailing or doubled ',')");
        }
        if (entry.startsWith("[")) {
            return bracketed(entry, parameter, where);
        }
        int colon = entry.indexOf(':');
        if (colon >= 0 && entry.indexOf(':', colon + 1) >= 0) {
            throw new InvalidRbdDefinitionException(parameter, where + " looks like an IPv6 address without"
                    + " brackets, where a port cannot be told apart from the address; write [address] or"
                    + " [address]:port");
        }
        String host = colon < 0 ? entry : entry.substring(0, colon);
        OptionalInt port = colon < 0 ? OptionalInt.empty() : OptionalInt.of(port(entry.substring(colon + 1), parameter, where));
        return new Written(nameOrIpv4(host, parameter, where), port);
    }

    private static Written bracketed(String entry, String parameter, String where)
            throws InvalidRbdDefinitionException {
        int close = entry.indexOf(']');
        if (close < 0) {
            throw new InvalidRbdDefinitionException(parameter, where + " has '[' without ']'");
        }
        String host = Ipv6Literal.canonical(entry.substring(1, close)).orElseThrow(() ->
                new InvalidRbdDefinitionException(parameter, where + " is not a valid IPv6 address inside [ ]"));
        String rest = entry.substring(close + 1);
        if (rest.isEmpty()) {
            return new Written(host, OptionalInt.empty());
        }
        if (!rest.startsWith(":")) {
            throw new InvalidRbdDefinitionException(parameter, where + " has text after ']' that is not ':port'");
        }
        return new Written(host, OptionalInt.of(port(rest.substring(1), parameter, where)));
    }

    private static String nameOrIpv4(String host, String parameter, String where)
            throws InvalidRbdDefinitionException {
        if (host.isEmpty()) {
            throw new InvalidRbdDefinitionException(parameter, where + " has a port but no host");
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            if (Ipv4Literal.octets(host).isEmpty()) {
                throw new InvalidRbdDefinitionException(parameter, where + " is not a valid IPv4 address"
                        + " (four numbers 0-255 without leading zeros)");
            }
            return host;
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.length() > MAX_NAME_LENGTH || !allLabelsValid(name)) {
            throw new InvalidRbdDefinitionException(parameter, where + " is not a valid host name (letters, digits"
                    + " and '-' in dot-separated labels), IPv4 address or [IPv6] address");
        }
        return name;
    }

    private static boolean allLabelsValid(String name) {
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }
}
