package io.rbdstack.server.network;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The guest network commands against a real server on the real DB: CloudStack's fields, rules and errors. */
class NetworkApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static String zone;
    static String otherZone;
    static String offering;
    static ApiClient user;
    static ApiClient outsider;

    @BeforeAll
    static void setUp() throws Exception {
        ApiClient admin = cloud.admin();
        zone = ok(admin.call("createZone", "name", "net-z1", "dns1", "10.0.0.2", "internaldns1", "10.0.0.3",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        otherZone = ok(admin.call("createZone", "name", "net-z2", "dns1", "10.0.0.2", "internaldns1", "10.0.0.3",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        JsonNode offerings = ok(admin.call("listNetworkOfferings"), "listNetworkOfferings");
        offering = offerings.get("networkoffering").get(0).get("id").asText();
        ok(admin.call("createAccount", "username", "nu", "password", "nu-pw", "email", "nu@example.com",
                "firstname", "N", "lastname", "U"), "createAccount");
        user = ApiClient.login(cloud.baseUrl(), "nu", "nu-pw");
        String sales = ok(admin.call("createDomain", "name", "sales"), "createDomain").get("domain").get("id").asText();
        String hr = ok(admin.call("createDomain", "name", "hr"), "createDomain").get("domain").get("id").asText();
        ok(admin.call("createAccount", "username", "sam", "password", "sam-pw", "email", "s@example.com",
                "firstname", "S", "lastname", "S", "domainid", sales), "createAccount");
        outsider = ApiClient.login(cloud.baseUrl(), "sam", "sam-pw", "ROOT/sales");
        create("name", "hr-only", "zoneid", otherZone, "gateway", "172.16.0.1", "netmask", "255.255.255.0", "startip",
                "172.16.0.10", "endip", "172.16.0.20", "vlan", "900", "domainid", hr);
    }

    @Test
    void theSeededOfferingIsCloudStacksDefaultSharedOne() throws Exception {
        JsonNode listed = ok(user.call("listNetworkOfferings", "guestiptype", "Shared", "isdefault", "true"),
                "listNetworkOfferings");
        assertEquals(1, listed.get("count").asInt(), listed.toString());
        JsonNode o = listed.get("networkoffering").get(0);
        assertEquals(offering, o.get("id").asText());
        assertEquals("DefaultSharedNetworkOffering", o.get("name").asText());
        assertEquals("Shared", o.get("guestiptype").asText());
        assertEquals("Guest", o.get("traffictype").asText());
        assertEquals("Enabled", o.get("state").asText());
        assertTrue(o.get("isdefault").asBoolean());
        assertTrue(o.get("specifyvlan").asBoolean());
        assertTrue(o.get("specifyipranges").asBoolean());
        assertEquals("IPv4", o.get("internetprotocol").asText());
        assertEquals(0, ok(user.call("listNetworkOfferings", "guestiptype", "Isolated"), "listNetworkOfferings")
                .size());
    }

    @Test
    void anUntaggedNetworkHasCloudStacksFieldsAndTheDefaultBridge() throws Exception {
        JsonNode n = create("name", "flat", "displaytext", "Flat network", "zoneid", zone, "gateway", "10.10.0.1",
                "netmask", "255.255.255.0", "startip", "10.10.0.100", "endip", "10.10.0.199", "dns1", "10.10.0.2",
                "dns2", "10.10.0.3", "networkdomain", "flat.example");
        assertEquals("flat", n.get("name").asText());
        assertEquals("Flat network", n.get("displaytext").asText());
        assertEquals(zone, n.get("zoneid").asText());
        assertEquals("net-z1", n.get("zonename").asText());
        assertEquals(offering, n.get("networkofferingid").asText());
        assertEquals("DefaultSharedNetworkOffering", n.get("networkofferingname").asText());
        assertEquals("Shared", n.get("type").asText());
        assertEquals("Guest", n.get("traffictype").asText());
        assertEquals("Setup", n.get("state").asText());
        assertEquals("Domain", n.get("acltype").asText());
        assertEquals("ROOT", n.get("domain").asText());
        assertEquals("10.10.0.1", n.get("gateway").asText());
        assertEquals("255.255.255.0", n.get("netmask").asText());
        assertEquals("10.10.0.0/24", n.get("cidr").asText());
        assertEquals("vlan://untagged", n.get("broadcasturi").asText());
        assertEquals("untagged", n.get("vlan").asText());
        assertEquals("Vlan", n.get("broadcastdomaintype").asText());
        assertEquals("10.10.0.2", n.get("dns1").asText());
        assertEquals("10.10.0.3", n.get("dns2").asText());
        assertEquals("flat.example", n.get("networkdomain").asText());
        assertEquals("IPv4", n.get("internetprotocol").asText());
        assertTrue(n.get("specifyipranges").asBoolean());
        assertTrue(n.get("canusefordeploy").asBoolean());
        assertFalse(n.get("issystem").asBoolean());
        assertEquals("10.10.0.100", n.get("startip").asText());
        assertEquals("10.10.0.199", n.get("endip").asText());
        assertEquals("cloudbr0", n.get("bridge").asText(), "the guest.network.device setting");
        assertFalse(n.has("uplink"), "untagged: no uplink");
        assertTrue(n.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}"));

        assertEquals(n, ok(cloud.admin().call("listNetworks", "id", n.get("id").asText()), "listNetworks")
                .get("network").get(0), "listed as created");
        JsonNode listed = ok(user.call("listNetworks", "id", n.get("id").asText()), "listNetworks");
        assertEquals(1, listed.get("count").asInt());
        JsonNode seen = listed.get("network").get(0);
        for (String adminOnly : new String[] {"vlan", "broadcasturi", "bridge"}) {
            assertFalse(seen.has(adminOnly), "as CloudStack, only root admins see " + adminOnly + ": " + seen);
        }
        JsonNode withoutWire = n.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) withoutWire).remove(List.of("vlan", "broadcasturi", "bridge"));
        assertEquals(withoutWire, seen, "a user of the ROOT domain sees the rest as created");
        assertEquals(1, ok(user.call("listNetworks", "zoneid", zone, "type", "Shared", "traffictype", "Guest",
                "networkofferingid", offering, "keyword", "fla"), "listNetworks").get("count").asInt());
        assertEquals(0, ok(user.call("listNetworks", "zoneid", zone, "type", "Isolated"), "listNetworks").size());
        assertEquals(0, ok(user.call("listNetworks", "issystem", "true"), "listNetworks").size());

        JsonNode events = ok(cloud.admin().call("listEvents", "type", "NETWORK.CREATE", "resourceid",
                n.get("id").asText()), "listEvents");
        assertEquals(1, events.get("count").asInt(), events.toString());
        assertEquals("Network", events.get("event").get(0).get("resourcetype").asText());
    }

    @Test
    void aVlanNetworkGetsCloudStacksKvmBridgeOnTheUplink() throws Exception {
        JsonNode n = create("name", "v100", "zoneid", zone, "gateway", "10.20.0.1", "netmask", "255.255.0.0",
                "startip", "10.20.1.1", "endip", "10.20.1.254", "vlan", "100");
        assertEquals("vlan://100", n.get("broadcasturi").asText());
        assertEquals("100", n.get("vlan").asText());
        assertEquals("10.20.0.0/16", n.get("cidr").asText());
        assertEquals("eth0", n.get("uplink").asText(), "the guest.network.uplink setting");
        assertEquals("breth0-100", n.get("bridge").asText());
        assertEquals("v100", n.get("displaytext").asText(), "displaytext defaults to the name");

        JsonNode named = create("name", "v101", "zoneid", zone, "gateway", "10.21.0.1", "netmask", "255.255.255.0",
                "startip", "10.21.0.2", "vlan", "vlan://101", "uplink", "bond0", "bridge", "guest101");
        assertEquals("bond0", named.get("uplink").asText());
        assertEquals("guest101", named.get("bridge").asText());
        assertEquals("10.21.0.2", named.get("endip").asText(), "endip defaults to startip");
    }

    @Test
    void everyRefusalNamesItsParameterAndSavesNothing() throws Exception {
        create("name", "taken", "zoneid", zone, "gateway", "10.30.0.1", "netmask", "255.255.255.0", "startip",
                "10.30.0.10", "endip", "10.30.0.50", "vlan", "300", "bridge", "brtaken");
        String[] base = {"zoneid", zone, "gateway", "10.31.0.1", "netmask", "255.255.255.0", "startip", "10.31.0.10",
                "endip", "10.31.0.20"};
        assertRefused("Parameter gateway is required", "name", "no-gw", "zoneid", zone, "netmask", "255.255.255.0",
                "startip", "10.31.0.10");
        assertRefused("Parameter startip is required", "name", "no-start", "zoneid", zone, "gateway", "10.31.0.1",
                "netmask", "255.255.255.0");
        assertRefused("for parameter startip: not a host address of 10.31.0.0/24", with(base, "name", "outside",
                "startip", "10.32.0.10"));
        assertRefused("for parameter endip: before startip", with(base, "name", "upside", "endip", "10.31.0.5"));
        assertRefused("for parameter gateway: inside the range", with(base, "name", "gw-in", "gateway", "10.31.0.15"));
        assertRefused("for parameter netmask: not a contiguous netmask", with(base, "name", "mask",
                "netmask", "255.255.0.255"));
        assertRefused("for parameter gateway: not an IPv4 address", with(base, "name", "gw-bad", "gateway", "10.31.0"));
        assertRefused("for parameters startip and endip: the range overlaps 10.30.0.10-10.30.0.50 of network taken"
                + " in zone net-z1", "name", "overlap", "zoneid", zone, "gateway", "10.30.0.1", "netmask",
                "255.255.255.0", "startip", "10.30.0.40", "endip", "10.30.0.60", "vlan", "301");
        assertRefused("for parameter vlan: VLAN 300 is already used by network taken in zone net-z1",
                with(base, "name", "vlan-taken", "vlan", "300"));
        assertRefused("for parameter vlan: a VLAN id from 1 to 4094", with(base, "name", "vlan-big", "vlan", "4095"));
        assertRefused("for parameter bridge: the bridge already serves network taken",
                with(base, "name", "bridge-taken", "vlan", "302", "bridge", "brtaken"));
        assertRefused("for parameter bridge: not a Linux interface name", with(base, "name", "bridge-bad",
                "bridge", "br/0"));
        assertRefused("for parameter uplink: an untagged network has no uplink", with(base, "name", "uplink-untagged",
                "uplink", "eth1"));
        assertRefused("name one with parameter bridge", with(base, "name", "long-bridge", "vlan", "3000", "uplink",
                "enp0s31f6"));
        assertRefused("for parameter networkdomain: ", with(base, "name", "dom", "networkdomain", "-bad.example"));
        assertRefused("for parameter acltype: shared networks serve a domain", with(base, "name", "acl",
                "acltype", "Account"));
        assertRefused("for parameter name: a network needs a name", with(base, "name", "  "));
        assertRefused("Invalid value 'fd01::1' for parameter ip6gateway: not a host address of fd00::/64",
                with(base, "name", "dual", "ip6gateway", "fd01::1", "ip6cidr", "fd00::/64"));
        ApiClient.Reply unknownZone = cloud.admin().call("createNetwork", with(base, "name", "nozone",
                "zoneid", "00000000-0000-0000-0000-000000000000", "networkofferingid", offering));
        assertEquals(431, unknownZone.status(), unknownZone.body());
        assertTrue(unknownZone.body().contains("entity does not exist"), unknownZone.body());
        // two untagged networks of a zone may not share a bridge
        create(with(base, "name", "untagged-1", "bridge", "brflat1"));
        assertRefused("for parameter bridge: the bridge already serves network untagged-1", "name", "untagged-2",
                "zoneid", zone, "gateway", "10.33.0.1", "netmask", "255.255.255.0", "startip", "10.33.0.10",
                "bridge", "brflat1");

        List<String> names = new ArrayList<>();
        ok(cloud.admin().call("listNetworks", "zoneid", zone), "listNetworks").get("network")
                .forEach(n -> names.add(n.get("name").asText()));
        for (String refused : new String[] {"no-gw", "no-start", "outside", "upside", "gw-in", "mask", "gw-bad",
                "overlap", "vlan-taken", "vlan-big", "bridge-taken", "bridge-bad", "uplink-untagged", "long-bridge",
                "dom", "acl", "nozone", "untagged-2", "dual"}) {
            assertFalse(names.contains(refused), refused + " was saved: " + names);
        }
        JsonNode errors = ok(cloud.admin().call("listEvents", "type", "NETWORK.CREATE", "level", "ERROR"),
                "listEvents");
        assertTrue(errors.get("count").asInt() >= 10, "refused creates are recorded: " + errors);
    }

    @Test
    void concurrentCreatesOfOneRangeLeaveExactlyOneNetwork() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<ApiClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String vlan = String.valueOf(700 + i);
                replies.add(pool.submit(() -> {
                    go.await();
                    return cloud.admin().call("createNetwork", "networkofferingid", offering, "name", "race-" + vlan,
                            "zoneid", zone, "gateway", "10.70.0.1", "netmask", "255.255.255.0", "startip",
                            "10.70.0.10", "endip", "10.70.0.20", "vlan", vlan);
                }));
            }
            go.countDown();
            int created = 0;
            for (var reply : replies) {
                ApiClient.Reply r = reply.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (r.status() == 200) {
                    created++;
                } else {
                    assertEquals(431, r.status(), r.body());
                    assertTrue(r.body().contains("the range overlaps 10.70.0.10-10.70.0.20"), r.body());
                }
            }
            assertEquals(1, created);
            assertEquals(1, ok(cloud.admin().call("listNetworks", "zoneid", zone, "keyword", "race-"), "listNetworks")
                    .get("count").asInt());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyAdminsChangeNetworksAndUsersSeeOnlyTheirDomainsOnes() throws Exception {
        String id = create("name", "for-users", "zoneid", otherZone, "gateway", "10.40.0.1", "netmask",
                "255.255.255.0", "startip", "10.40.0.10", "vlan", "400").get("id").asText();
        assertEquals(432, user.call("createNetwork", "name", "mine", "networkofferingid", offering, "zoneid", zone,
                "gateway", "10.41.0.1", "netmask", "255.255.255.0", "startip", "10.41.0.2").status());
        assertEquals(432, user.call("updateNetwork", "id", id, "name", "mine").status());
        assertEquals(432, user.call("deleteNetwork", "id", id).status());
        List<String> seenByUser = new ArrayList<>();
        ok(user.call("listNetworks", "zoneid", otherZone), "listNetworks").get("network")
                .forEach(n -> seenByUser.add(n.get("name").asText()));
        assertTrue(seenByUser.contains("for-users"), seenByUser.toString());
        assertFalse(seenByUser.contains("hr-only"), "a ROOT user does not see the hr domain's network");
        List<String> seenBySales = new ArrayList<>();
        ok(outsider.call("listNetworks", "zoneid", otherZone), "listNetworks").get("network")
                .forEach(n -> seenBySales.add(n.get("name").asText()));
        assertTrue(seenBySales.contains("for-users"), "ROOT's network serves every subdomain: " + seenBySales);
        assertFalse(seenBySales.contains("hr-only"), "a sibling domain's network is not seen: " + seenBySales);
        List<String> seenByAdmin = new ArrayList<>();
        ok(cloud.admin().call("listNetworks", "zoneid", otherZone), "listNetworks").get("network")
                .forEach(n -> seenByAdmin.add(n.get("name").asText()));
        assertTrue(seenByAdmin.containsAll(List.of("for-users", "hr-only")), "root admins see all: " + seenByAdmin);
    }

    @Test
    void updateRenamesAndMovesTheRangeInAJob() throws Exception {
        String id = create("name", "to-update", "zoneid", zone, "gateway", "10.50.0.1", "netmask", "255.255.255.0",
                "startip", "10.50.0.10", "endip", "10.50.0.20", "vlan", "500").get("id").asText();
        JsonNode result = job(cloud.admin().call("updateNetwork", "id", id, "name", "updated", "displaytext", "Now",
                "endip", "10.50.0.30", "networkdomain", "updated.example"), "updateNetwork");
        assertEquals(1, result.get("jobstatus").asInt(), result.toString());
        JsonNode n = result.get("jobresult").get("network");
        assertEquals("updated", n.get("name").asText());
        assertEquals("Now", n.get("displaytext").asText());
        assertEquals("10.50.0.10", n.get("startip").asText());
        assertEquals("10.50.0.30", n.get("endip").asText());
        assertEquals("updated.example", n.get("networkdomain").asText());
        assertEquals(n, ok(cloud.admin().call("listNetworks", "id", id), "listNetworks").get("network").get(0));
        ApiClient.Reply outside = cloud.admin().call("updateNetwork", "id", id, "startip", "10.51.0.1");
        assertEquals(431, outside.status(), outside.body());
        assertTrue(outside.body().contains("for parameter startip: not a host address of 10.50.0.0/24"),
                outside.body());
        JsonNode events = ok(cloud.admin().call("listEvents", "type", "NETWORK.UPDATE", "resourceid", id),
                "listEvents");
        assertTrue(events.get("count").asInt() >= 1, events.toString());
        assertEquals("Network", events.get("event").get(0).get("resourcetype").asText());
    }

    @Test
    void aDeletedNetworkIsGoneAndItsVlanRangeAndBridgeAreFreeAgain() throws Exception {
        String[] params = {"name", "short-lived", "zoneid", otherZone, "gateway", "10.60.0.1", "netmask",
                "255.255.255.0", "startip", "10.60.0.10", "vlan", "600"};
        String id = create(params).get("id").asText();
        JsonNode result = job(cloud.admin().call("deleteNetwork", "id", id), "deleteNetwork");
        assertEquals(1, result.get("jobstatus").asInt(), result.toString());
        assertTrue(result.get("jobresult").get("success").asBoolean());
        assertEquals(0, ok(cloud.admin().call("listNetworks", "id", id), "listNetworks").size());
        assertEquals(431, cloud.admin().call("deleteNetwork", "id", id).status(), "already deleted");
        create(params);
        JsonNode events = ok(cloud.admin().call("listEvents", "type", "NETWORK.DELETE", "resourceid", id),
                "listEvents");
        assertTrue(events.get("count").asInt() >= 1, events.toString());
    }

    @Test
    void aDomainIsNotDeletedWhileANetworkServesItOrASubdomain() throws Exception {
        ApiClient admin = cloud.admin();
        String parent = ok(admin.call("createDomain", "name", "lab"), "createDomain").get("domain").get("id").asText();
        String child = ok(admin.call("createDomain", "name", "bench", "parentdomainid", parent), "createDomain")
                .get("domain").get("id").asText();
        String net = create("name", "lab-net", "zoneid", otherZone, "gateway", "10.80.0.1", "netmask",
                "255.255.255.0", "startip", "10.80.0.10", "vlan", "800", "domainid", child).get("id").asText();
        ApiClient.Reply plain = admin.call("deleteDomain", "id", child);
        assertEquals(536, plain.status(), plain.body());
        assertEquals("Cannot delete domain bench: it still has 1 guest network(s) (lab-net); delete or move them"
                + " first", plain.response("deleteDomain").get("errortext").asText());
        ApiClient.Reply cleanup = admin.call("deleteDomain", "id", parent, "cleanup", "true");
        assertEquals(536, cleanup.status(), cleanup.body());
        assertTrue(cleanup.body().contains("1 guest network(s) (lab-net)"), cleanup.body());

        assertEquals(1, job(admin.call("deleteNetwork", "id", net), "deleteNetwork").get("jobstatus").asInt());
        JsonNode deleted = job(admin.call("deleteDomain", "id", parent, "cleanup", "true"), "deleteDomain");
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
    }

    static JsonNode create(String... params) throws Exception {
        List<String> all = new ArrayList<>(List.of("networkofferingid", offering));
        all.addAll(List.of(params));
        return ok(cloud.admin().call("createNetwork", all.toArray(String[]::new)), "createNetwork").get("network");
    }

    static JsonNode job(ApiClient.Reply reply, String command) throws Exception {
        JsonNode started = ok(reply, command);
        return cloud.admin().awaitJob(started.get("jobid").asText());
    }

    /** {@code base} with the given name/value pairs set (replacing the same names). */
    static String[] with(String[] base, String... pairs) {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < base.length; i += 2) {
            boolean replaced = false;
            for (int j = 0; j < pairs.length; j += 2) {
                replaced |= pairs[j].equals(base[i]);
            }
            if (!replaced) {
                all.add(base[i]);
                all.add(base[i + 1]);
            }
        }
        all.addAll(List.of(pairs));
        return all.toArray(String[]::new);
    }

    private static void assertRefused(String text, String... params) throws Exception {
        List<String> all = new ArrayList<>(List.of("networkofferingid", offering));
        all.addAll(List.of(params));
        ApiClient.Reply reply = cloud.admin().call("createNetwork", all.toArray(String[]::new));
        assertEquals(431, reply.status(), reply.body());
        String errortext = reply.response("createNetwork").get("errortext").asText();
        assertTrue(errortext.contains(text), "expected '" + text + "' in: " + errortext);
    }
}
