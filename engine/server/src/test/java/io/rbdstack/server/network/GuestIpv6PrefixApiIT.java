package io.rbdstack.server.network;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The zone guest IPv6 prefixes against a real server on the real DB: CloudStack 4.17's fields, checks and errors. */
class GuestIpv6PrefixApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static String zone;
    static String otherZone;

    @BeforeAll
    static void setUp() throws Exception {
        zone = ok(cloud.admin().call("createZone", "name", "p6-z1", "dns1", "10.0.0.2", "internaldns1", "10.0.0.3",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        otherZone = ok(cloud.admin().call("createZone", "name", "p6-z2", "dns1", "10.0.0.2", "internaldns1",
                "10.0.0.3", "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
    }

    @Test
    void aPrefixIsCreatedListedAndDeletedWithCloudStacksFields() throws Exception {
        JsonNode created = create(zone, "2001:DB8:100:0::/56");
        assertEquals("2001:db8:100::/56", created.get("prefix").asText(), "stored in its canonical form");
        assertEquals(zone, created.get("zoneid").asText());
        assertEquals("p6-z1", created.get("zonename").asText());
        assertEquals(0, created.get("usedsubnets").asLong());
        assertEquals(256, created.get("availablesubnets").asLong(), "a /56 holds 256 /64s");
        assertTrue(created.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}"));
        String id = created.get("id").asText();

        JsonNode listed = ok(cloud.admin().call("listGuestNetworkIpv6Prefixes", "id", id),
                "listGuestNetworkIpv6Prefixes");
        assertEquals(1, listed.get("count").asInt());
        assertEquals(created, listed.get("guestnetworkipv6prefix").get(0));
        assertEquals(0, ok(cloud.admin().call("listGuestNetworkIpv6Prefixes", "zoneid", otherZone, "id", id),
                "listGuestNetworkIpv6Prefixes").size(), "filtered by zone");

        JsonNode deleted = job(cloud.admin().call("deleteGuestNetworkIpv6Prefix", "id", id),
                "deleteGuestNetworkIpv6Prefix");
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
        assertEquals(0, ok(cloud.admin().call("listGuestNetworkIpv6Prefixes", "id", id),
                "listGuestNetworkIpv6Prefixes").size());
        assertEquals(431, cloud.admin().call("deleteGuestNetworkIpv6Prefix", "id", id).status(), "already deleted");
        create(zone, "2001:db8:100::/56");
        JsonNode events = ok(cloud.admin().call("listEvents", "type", "GUEST.IP6.PREFIX.CREATE"), "listEvents");
        assertTrue(events.get("count").asInt() >= 2, events.toString());
    }

    @Test
    void malformedTooLongAndOverlappingPrefixesAreRefusedNamingTheParameter() throws Exception {
        create(zone, "2001:db8:200::/48");
        assertRefused(zone, "not-a-prefix", "Invalid value 'not-a-prefix' for parameter prefix");
        assertRefused(zone, "10.0.0.0/8", "for parameter prefix");
        assertRefused(zone, "2001:db8:300::1/56", "has host bits set beyond /56");
        assertRefused(zone, "2001:db8:300::/80", "for parameter prefix: a guest prefix is at most /64 long");
        assertRefused(zone, "2001:db8:200:ff00::/56", "for parameter prefix: it overlaps the guest IPv6 prefix"
                + " 2001:db8:200::/48 of zone p6-z1");
        assertRefused(otherZone, "2001:db8::/32", "overlaps the guest IPv6 prefix 2001:db8:200::/48 of zone p6-z1");
        JsonNode z2 = ok(cloud.admin().call("listGuestNetworkIpv6Prefixes", "zoneid", otherZone),
                "listGuestNetworkIpv6Prefixes");
        assertEquals(0, z2.size(), "nothing was saved: " + z2);
    }

    @Test
    void onlyAdminsSeeOrChangePrefixes() throws Exception {
        ok(cloud.admin().call("createAccount", "username", "p6u", "password", "p6u-pw", "email", "p@example.com",
                "firstname", "P", "lastname", "U"), "createAccount");
        ApiClient user = ApiClient.login(cloud.baseUrl(), "p6u", "p6u-pw");
        assertEquals(432, user.call("listGuestNetworkIpv6Prefixes").status());
        assertEquals(432, user.call("createGuestNetworkIpv6Prefix", "zoneid", zone, "prefix", "fd00::/56").status());
    }

    static JsonNode create(String zoneId, String prefix) throws Exception {
        JsonNode result = job(cloud.admin().call("createGuestNetworkIpv6Prefix", "zoneid", zoneId, "prefix", prefix),
                "createGuestNetworkIpv6Prefix");
        assertEquals(1, result.get("jobstatus").asInt(), result.toString());
        return result.get("jobresult").get("guestnetworkipv6prefix");
    }

    static JsonNode job(ApiClient.Reply reply, String command) throws Exception {
        return cloud.admin().awaitJob(ok(reply, command).get("jobid").asText());
    }

    private static void assertRefused(String zoneId, String prefix, String text) throws Exception {
        ApiClient.Reply reply = cloud.admin().call("createGuestNetworkIpv6Prefix", "zoneid", zoneId, "prefix", prefix);
        assertEquals(431, reply.status(), reply.body());
        String errortext = reply.response("createGuestNetworkIpv6Prefix").get("errortext").asText();
        assertTrue(errortext.contains(text), "expected '" + text + "' in: " + errortext);
    }
}
