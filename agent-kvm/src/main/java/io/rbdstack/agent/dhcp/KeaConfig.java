package io.rbdstack.agent.dhcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Dhcp6 configuration of this host's Kea, as a Jackson tree, from every network it serves: one
 * subnet6 per network on its bridge, each NIC reserved by hw-address (Kea learns the MAC from a
 * DUID-LL or DUID-LLT through mac-sources "duid" or "any") and, only when the configured mac-sources
 * cannot see it there, a second time by the MAC's DUID-LL for the same address and prefix; pools,
 * pd-pools and lifetimes; the memfile lease database and the unix control socket in the agent's DHCP
 * directory. One entry per NIC halves what Kea parses on every change (the benchmark's main cost).
 */
public final class KeaConfig {

    /** Where Kea looks for a client's reservation, in order: the MAC, then (twins only) the DUID-LL. */
    static final List<String> IDENTIFIERS = List.of("hw-address", "duid");
    /** Kea's mac-sources that read the MAC out of a DUID-LL or DUID-LLT; Kea's default (none given) is "any". */
    private static final Set<String> SOURCES_READING_THE_DUID = Set.of("duid", "any");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private KeaConfig() {
    }

    /** The whole configuration, {@code {"Dhcp6": {...}}}; networks in uuid order, so equal input renders equally. */
    public static ObjectNode render(KeaFiles files, Collection<ServedNetwork> networks) {
        List<ServedNetwork> sorted = networks.stream().sorted(Comparator.comparing(ServedNetwork::networkUuid)).toList();
        Map<String, Long> ids = SubnetIds.assign(sorted.stream().map(ServedNetwork::networkUuid).toList());
        ObjectNode dhcp6 = JSON.objectNode();
        ArrayNode interfaces = dhcp6.putObject("interfaces-config").putArray("interfaces");
        sorted.stream().map(ServedNetwork::bridge).distinct().forEach(interfaces::add);
        dhcp6.putObject("control-socket").put("socket-type", "unix")
                .put("socket-name", files.controlSocket().toString());
        dhcp6.putObject("lease-database").put("type", "memfile").put("persist", true)
                .put("name", files.leases().toString()).put("lfc-interval", 3600);
        dhcp6.put("data-directory", files.dir().toString());
        // Kea knows mac-sources only globally: the sources any network asks for, in the order first named.
        Set<String> macSources = new LinkedHashSet<>();
        sorted.forEach(n -> macSources.addAll(n.macSources()));
        if (!macSources.isEmpty()) {
            strings(dhcp6.putArray("mac-sources"), macSources);
        }
        boolean twins = needsDuidLlTwins(macSources);
        strings(dhcp6.putArray("host-reservation-identifiers"), twins ? IDENTIFIERS : IDENTIFIERS.subList(0, 1));
        dhcp6.putArray("hooks-libraries").addObject().put("library", files.leaseCommandsHook().toString());
        // The two reservations of a NIC (hw-address, DUID-LL) name the same address.
        dhcp6.put("ip-reservations-unique", !twins);
        // The only DHCPv6 server on a guest link: preference 255 lets a client take the first Advertise
        // at once instead of collecting others for a second (RFC 8415 18.2.9); KeaBridgeIT measures it.
        dhcp6.putArray("option-data").addObject().put("name", "preference").put("data", "255");
        ArrayNode subnets = dhcp6.putArray("subnet6");
        sorted.forEach(network -> subnets.add(subnet(network, ids.get(network.networkUuid()), twins)));
        ObjectNode root = JSON.objectNode();
        root.set("Dhcp6", dhcp6);
        return root;
    }

    /**
     * Whether each NIC needs a second reservation by its DUID-LL: only when the mac-sources cannot read
     * the MAC from the client's DUID, so the hw-address entry alone would not match a DUID-LL client.
     */
    static boolean needsDuidLlTwins(Collection<String> macSources) {
        return !macSources.isEmpty() && macSources.stream().noneMatch(SOURCES_READING_THE_DUID::contains);
    }

    static ObjectNode subnet(ServedNetwork network, long id, boolean twins) {
        ObjectNode subnet = JSON.objectNode();
        subnet.put("id", id);
        subnet.put("subnet", network.prefix().toString());
        subnet.put("interface", network.bridge());
        subnet.put("renew-timer", network.lifetimes().renewSeconds());
        subnet.put("rebind-timer", network.lifetimes().rebindSeconds());
        subnet.put("preferred-lifetime", network.lifetimes().preferredSeconds());
        subnet.put("valid-lifetime", network.lifetimes().validSeconds());
        ArrayNode pools = subnet.putArray("pools");
        network.pool().ifPresent(p -> pools.addObject().put("pool", p.first() + "-" + p.last()));
        ArrayNode pdPools = subnet.putArray("pd-pools");
        network.pdPool().ifPresent(p -> pdPools.addObject().put("prefix", p.prefix().address())
                .put("prefix-len", p.prefix().length()).put("delegated-len", p.delegatedLength()));
        ArrayNode reservations = subnet.putArray("reservations");
        for (ServedNetwork.Reservation reservation : network.reservations()) {
            reservations.add(reservation(reservation, "hw-address", reservation.mac().toString()));
            if (twins) {
                reservations.add(reservation(reservation, "duid", DuidLl.ll(reservation.mac())));
            }
        }
        // what a later agent reads back (LeftLinks) to find the host state of networks no longer served
        subnet.putObject("user-context").put("network", network.networkUuid()).put("gateway", network.gateway());
        return subnet;
    }

    private static ObjectNode reservation(ServedNetwork.Reservation reservation, String identifier, String value) {
        ObjectNode host = JSON.objectNode();
        host.put(identifier, value);
        host.putArray("ip-addresses").add(reservation.address());
        reservation.delegatedPrefix().ifPresent(p -> host.putArray("prefixes").add(p.toString()));
        return host;
    }

    private static void strings(ArrayNode array, Collection<String> values) {
        values.forEach(array::add);
    }

    /** The number of NICs reserved in a rendered configuration's subnets (their hw-address entries). */
    public static int nicReservations(JsonNode config) {
        int nics = 0;
        for (JsonNode subnet : config.path("Dhcp6").path("subnet6")) {
            for (JsonNode host : subnet.path("reservations")) {
                nics += host.has("hw-address") ? 1 : 0;
            }
        }
        return nics;
    }
}
