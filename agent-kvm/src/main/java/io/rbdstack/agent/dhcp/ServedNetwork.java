package io.rbdstack.agent.dhcp;

import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpLifetimes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One network this host serves, checked and in canonical form: every address parsed, reservations
 * inside the /64, one reservation per MAC, lifetimes in order. Built from a {@code dhcp.applyNetwork}.
 */
public record ServedNetwork(String networkUuid, String bridge, Ipv6Prefix prefix, String gateway,
                            Optional<Range> pool, Optional<PdPool> pdPool, DhcpLifetimes lifetimes,
                            List<String> macSources, List<Reservation> reservations) {

    private static final Pattern LINK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,14}");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F-]{1,64}");
    private static final Pattern MAC_SOURCE = Pattern.compile("[a-z0-9-]{1,40}");

    public ServedNetwork {
        macSources = List.copyOf(macSources);
        reservations = List.copyOf(reservations);
    }

    /** A pool of addresses, first to last. */
    public record Range(String first, String last) {
    }

    /** Prefixes of {@code delegatedLength} cut from {@code prefix}. */
    public record PdPool(Ipv6Prefix prefix, int delegatedLength) {
    }

    /** A NIC's reservation: its EUI-64 address and, optionally, a delegated prefix. */
    public record Reservation(MacAddress mac, String address, Optional<Ipv6Prefix> delegatedPrefix) {
    }

    public static ServedNetwork of(ApplyDhcpNetworkCommand command) {
        String network = command.networkUuid();
        if (network == null || !UUID.matcher(network).matches()) {
            throw new DhcpException("networkUuid '" + network + "' is not a uuid");
        }
        try {
            return parse(command);
        } catch (DhcpException e) {
            throw new DhcpException("network " + network + ": " + e.getMessage(), e);
        }
    }

    private static ServedNetwork parse(ApplyDhcpNetworkCommand command) {
        if (command.bridge() == null || !LINK_NAME.matcher(command.bridge()).matches()) {
            throw new DhcpException("bridge '" + command.bridge() + "' is not a link name (at most 15 characters)");
        }
        Ipv6Prefix prefix = Ipv6Prefix.parse(command.prefix());
        if (prefix.length() != 64) {
            throw new DhcpException("prefix " + prefix + " is not a /64 (EUI-64 addresses need one)");
        }
        String gateway = inside(prefix, "gateway", command.gateway());
        Optional<Range> pool = Optional.ofNullable(command.pool()).map(p -> {
            String first = inside(prefix, "pool first", p.first());
            String last = inside(prefix, "pool last", p.last());
            if (java.util.Arrays.compareUnsigned(Ipv6Prefix.Ipv6Text.parse(first), Ipv6Prefix.Ipv6Text.parse(last)) > 0) {
                throw new DhcpException("pool " + first + "-" + last + " ends before it starts");
            }
            return new Range(first, last);
        });
        Optional<PdPool> pdPool = Optional.ofNullable(command.pdPool()).map(p -> {
            Ipv6Prefix pd = Ipv6Prefix.parse(p.prefix());
            if (p.delegatedLength() < pd.length() || p.delegatedLength() > 128) {
                throw new DhcpException("delegated length /" + p.delegatedLength() + " does not fit in " + pd);
            }
            return new PdPool(pd, p.delegatedLength());
        });
        DhcpLifetimes lifetimes = command.lifetimes();
        if (lifetimes == null || lifetimes.renewSeconds() <= 0 || lifetimes.renewSeconds() > lifetimes.rebindSeconds()
                || lifetimes.rebindSeconds() > lifetimes.preferredSeconds()
                || lifetimes.preferredSeconds() > lifetimes.validSeconds() || lifetimes.validSeconds() > 0xFFFFFFFEL) {
            throw new DhcpException("lifetimes " + lifetimes + " must be 0 < renew <= rebind <= preferred <= valid"
                    + " < 2^32-1 seconds");
        }
        for (String source : command.macSources()) {
            if (source == null || !MAC_SOURCE.matcher(source).matches()) {
                throw new DhcpException("mac source '" + source + "' is not one of Kea's names (e.g. duid)");
            }
        }
        List<Reservation> reservations = new ArrayList<>();
        Set<MacAddress> macs = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (var r : command.reservations()) {
            MacAddress mac = MacAddress.parse(r.mac());
            String address = inside(prefix, "reservation of " + mac, r.ip6Address());
            if (!macs.add(mac) || !addresses.add(address)) {
                throw new DhcpException("MAC " + mac + " or address " + address + " is reserved twice");
            }
            Optional<Ipv6Prefix> delegated = Optional.ofNullable(r.delegatedPrefix()).map(Ipv6Prefix::parse);
            reservations.add(new Reservation(mac, address, delegated));
        }
        return new ServedNetwork(command.networkUuid(), command.bridge(), prefix, gateway, pool, pdPool, lifetimes,
                command.macSources(), reservations);
    }

    private static String inside(Ipv6Prefix prefix, String what, String text) {
        byte[] address = Ipv6Prefix.Ipv6Text.parse(text);
        if (!prefix.contains(address)) {
            throw new DhcpException(what + " " + text + " is outside " + prefix);
        }
        return Ipv6Prefix.Ipv6Text.format(address);
    }
}
