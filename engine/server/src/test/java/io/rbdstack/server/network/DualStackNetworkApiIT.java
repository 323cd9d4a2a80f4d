package io.rbdstack.server.network;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dual-stack shared networks against a real server on the real DB: a /64 given or allocated from the zone's
 * guest prefix, reported by listNetworks, never given twice (also to creates racing), freed on delete.
 */
class DualStackNetworkApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static String zone;
    static String bareZone;
    static String ipv4Offering;
    static String dualStackOffering;
    static String prefix;
    static int vlans = 1000;

    @BeforeAll
    static void setUp() throws Exception {
        ApiClient admin = cloud.admin();
        zone = ok(admin.call("createZone", "name", "ds-z1", "dns1", "10.0.0.2", "internaldns1", "10.0.0.3",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        bareZone = ok(admin.call("createZone", "name", "ds-z2", "dns1", "10.0.0.2", "internaldns1", "10.0.0.3",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        for (JsonNode o : ok(admin.call("listNetworkOfferings"), "listNetworkOfferings").get("networkoffering")) {
            if (o.get("internetprotocol").asText().equals("DualStack")) {
                dualStackOffering = o.get("id").asText();
            } else if (o.get("isdefault").asBoolean()) {
                ipv4Offering = o.get("id").asText();
            }
        }
        // A /62: four /64s, so running out is within reach.
        prefix = job(admin.call("createGuestNetworkIpv6Prefix", "zoneid", zone, "prefix",
                "fd00:ab:cd:10::/62"), "createGuestNetworkIpv6Prefix").get("jobresult").get("guestnetworkipv6prefix")
                .get("id").asText();
    }

    @Test
    void networksOfTheDualStackOfferingGetFreeSlash64sOfTheZonePrefixAndGiveThemBack() throws Exception {
        long used = prefixRow().get("usedsubnets").asLong();
        JsonNode first = create(dualStackOffering, zone);
        JsonNode second = create(dualStackOffering, zone);
        assertEquals("DualStack", first.get("internetprotocol").asText());
        Set<String> given = Set.of(first.get("ip6cidr").asText(), second.get("ip6cidr").asText());
        assertEquals(2, given.size(), "two networks, two /64s: " + given);
        for (JsonNode n : List.of(first, second)) {
            String cidr = n.get("ip6cidr").asText();
            assertTrue(cidr.matches("fd00:ab:cd:1[0-3]::/64"), cidr);
            assertEquals(cidr.replace("/64", "1"), n.get("ip6gateway").asText(), "the /64's ::1");
            assertEquals(n, ok(cloud.admin().call("listNetworks", "id", n.get("id").asText()), "listNetworks")
                    .get("network").get(0));
        }
        assertEquals(used + 2, prefixRow().get("usedsubnets").asLong());

        String freed = second.get("ip6cidr").asText();
        assertEquals(1, job(cloud.admin().call("deleteNetwork", "id", second.get("id").asText()), "deleteNetwork")
                .get("jobstatus").asInt());
        JsonNode again = create(dualStackOffering, zone);
        assertEquals(freed, again.get("ip6cidr").asText(), "a freed /64 is given again");
        for (JsonNode n : List.of(first, again)) {
            job(cloud.admin().call("deleteNetwork", "id", n.get("id").asText()), "deleteNetwork");
        }
    }

    @Test
    void aGivenSlash64AndGatewayAreKeptInCanonicalFormAndTakenFromThePrefix() throws Exception {
        JsonNode n = create(ipv4Offering, zone, "ip6cidr", "FD00:AB:CD:13:0::/64", "ip6gateway", "fd00:ab:cd:13::fe");
        assertEquals("DualStack", n.get("internetprotocol").asText(), "ip6cidr makes any shared network dual-stack");
        assertEquals("fd00:ab:cd:13::/64", n.get("ip6cidr").asText());
        assertEquals("fd00:ab:cd:13::fe", n.get("ip6gateway").asText());
        assertRefused("for parameter ip6cidr: the /64 is network", ipv4Offering, zone, "ip6cidr", "fd00:ab:cd:13::/64");
        assertRefused("lies in the guest IPv6 prefix fd00:ab:cd:10::/62 of zone ds-z1", ipv4Offering, bareZone,
                "ip6cidr", "fd00:ab:cd:12::/64");

        ApiClient.Reply inUse = cloud.admin().call("deleteGuestNetworkIpv6Prefix", "id", prefix);
        assertEquals(536, inUse.status(), inUse.body());
        String text = inUse.response("deleteGuestNetworkIpv6Prefix").get("errortext").asText();
        assertTrue(text.contains("Prefix subnets are in use: fd00:ab:cd:13::/64 (network ds-"), text);

        // updateNetwork takes the IPv6 addressing only as it is
        String id = n.get("id").asText();
        assertEquals(1, job(cloud.admin().call("updateNetwork", "id", id, "ip6cidr", "fd00:ab:cd:13::/64",
                "ip6gateway", "FD00:AB:CD:13::FE"), "updateNetwork").get("jobstatus").asInt());
        ApiClient.Reply changed = cloud.admin().call("updateNetwork", "id", id, "ip6cidr", "fd00:ab:cd:99::/64");
        assertEquals(431, changed.status(), changed.body());
        assertTrue(changed.body().contains("for parameter ip6cidr: a network's IPv6 addressing cannot be changed"),
                changed.body());
        job(cloud.admin().call("deleteNetwork", "id", id), "deleteNetwork");
    }

    @Test
    void badIpv6ParametersAreRefusedNamingThemAndSaveNothing() throws Exception {
        long before = ok(cloud.admin().call("listNetworks"), "listNetworks").path("count").asLong(0);
        assertRefused("for parameter ip6cidr: a dual-stack network has a /64", ipv4Offering, zone, "ip6cidr",
                "fd00:1::/56");
        assertRefused("for parameter ip6cidr: 'fd00:1::1/64' has host bits set", ipv4Offering, zone, "ip6cidr",
                "fd00:1::1/64");
        assertRefused("for parameter ip6cidr: 'nonsense' is not an IPv6 prefix", ipv4Offering, zone, "ip6cidr",
                "nonsense");
        assertRefused("for parameter ip6gateway: not a host address of fd00:1::/64", ipv4Offering, zone, "ip6cidr",
                "fd00:1::/64", "ip6gateway", "fd00:2::1");
        assertRefused("Parameter ip6cidr is required with ip6gateway", ipv4Offering, zone, "ip6gateway", "fd00:1::1");
        assertRefused("for parameter startipv6: each NIC of a dual-stack network gets its EUI-64 address",
                ipv4Offering, zone, "ip6cidr", "fd00:1::/64", "startipv6", "fd00:1::10");
        ApiClient.Reply none = cloud.admin().call("createNetwork", params(dualStackOffering, bareZone));
        assertEquals(533, none.status(), none.body());
        assertTrue(none.body().contains("No /64 left for a dual-stack network in zone ds-z2"), none.body());
        assertEquals(before, ok(cloud.admin().call("listNetworks"), "listNetworks").path("count").asLong(0));
    }

    @Test
    void createsRacingForTheLastSlash64sGetDifferentOnesOrAreRefused() throws Exception {
        long free = 4 - prefixRow().get("usedsubnets").asLong();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<ApiClient.Reply>> calls = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                String[] p = params(dualStackOffering, zone);
                calls.add(pool.submit(() -> cloud.admin().call("createNetwork", p)));
            }
            Set<String> cidrs = new HashSet<>();
            List<String> ids = new ArrayList<>();
            int refused = 0;
            for (Future<ApiClient.Reply> call : calls) {
                ApiClient.Reply reply = call.get();
                if (reply.status() == 200) {
                    JsonNode n = reply.response("createNetwork").get("network");
                    assertTrue(cidrs.add(n.get("ip6cidr").asText()), "given twice: " + n.get("ip6cidr"));
                    ids.add(n.get("id").asText());
                } else {
                    assertEquals(533, reply.status(), reply.body());
                    refused++;
                }
            }
            assertEquals(free, cidrs.size(), "each free /64 given once: " + cidrs);
            assertEquals(6 - free, refused, "the rest refused");
            assertEquals(4, prefixRow().get("usedsubnets").asLong(), "the /62's four /64s are all taken");
            for (String id : ids) {
                job(cloud.admin().call("deleteNetwork", "id", id), "deleteNetwork");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode prefixRow() throws Exception {
        return ok(cloud.admin().call("listGuestNetworkIpv6Prefixes", "id", prefix), "listGuestNetworkIpv6Prefixes")
                .get("guestnetworkipv6prefix").get(0);
    }

    private static synchronized String[] params(String offering, String zoneId, String... more) {
        int vlan = vlans++;
        int third = vlan % 250;
        List<String> all = new ArrayList<>(List.of("networkofferingid", offering, "zoneid", zoneId, "name",
                "ds-" + vlan, "gateway", "10.77." + third + ".1", "netmask", "255.255.255.0", "startip",
                "10.77." + third + ".10", "vlan", Integer.toString(vlan)));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static JsonNode create(String offering, String zoneId, String... more) throws Exception {
        return ok(cloud.admin().call("createNetwork", params(offering, zoneId, more)), "createNetwork").get("network");
    }

    private static JsonNode job(ApiClient.Reply reply, String command) throws Exception {
        return cloud.admin().awaitJob(ok(reply, command).get("jobid").asText());
    }

    private static void assertRefused(String text, String offering, String zoneId, String... more) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createNetwork", params(offering, zoneId, more));
        assertEquals(431, reply.status(), reply.body());
        String errortext = reply.response("createNetwork").get("errortext").asText();
        assertTrue(errortext.contains(text), "expected '" + text + "' in: " + errortext);
    }
}
