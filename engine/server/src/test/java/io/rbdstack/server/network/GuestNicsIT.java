package io.rbdstack.server.network;

import static io.rbdstack.server.ApiAssertions.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.FreshServer;
import io.rbdstack.server.api.ApiErrorCode;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.SettingsRepository;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NIC allocation (the {@link GuestNics} the VM code calls) on the real MariaDB, on networks made through the
 * API of a real server: MACs and addresses, validation, concurrency, exhaustion and reuse, and how deleting
 * or shrinking a network respects its NICs.
 */
class GuestNicsIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static Jdbc jdbc;
    static GuestNics nics;
    static long adminAccount;
    static ExecutorService pool;

    @BeforeAll
    static void setUp() throws Exception {
        jdbc = new Jdbc(cloud.db().dataSource());
        nics = new DbGuestNics(jdbc, new NetworkRepository(jdbc), new SettingsRepository(jdbc));
        adminAccount = cloud.count("SELECT id FROM account WHERE account_name = 'admin'");
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @Test
    void nicsGetTheZonesMacSequenceAndTheLowestFreeAddressesInDeviceOrder() throws Exception {
        Zone zone = zone("nics-order");
        String flat = network(zone, "flat-a", "10.1.0.1", "10.1.0.10", "10.1.0.20", null);
        String tagged = network(zone, "vlan-a", "10.2.0.1", "10.2.0.10", "10.2.0.20", "210");
        long vm = vm(zone, "vm-order");
        List<GuestNic> got = nics.allocate(vm, zone.id, adminAccount, List.of(
                new GuestNics.NicRequest(flat, null, null, "networkids"),
                new GuestNics.NicRequest(tagged, null, null, "networkids")));
        assertEquals(2, got.size());
        GuestNic first = got.get(0);
        assertEquals(0, first.deviceId());
        assertTrue(first.isDefault());
        assertEquals("02:00:00:00:00:01", first.macAddress(), "the zone's sequence starts at 1 under identifier 0");
        assertEquals("10.1.0.10", first.ip4Address());
        assertEquals("10.1.0.1", first.gateway());
        assertEquals("255.255.255.0", first.netmask());
        assertEquals("vlan://untagged", first.broadcastUri());
        assertNull(first.vlan());
        assertEquals("brflat-a", first.bridge());
        assertNull(first.uplink());
        assertEquals("flat-a", first.networkName());
        assertEquals(flat, first.networkUuid());
        assertNull(first.ip6Address(), "IPv4-only networks give no IPv6 address");
        GuestNic second = got.get(1);
        assertEquals(1, second.deviceId());
        assertFalse(second.isDefault());
        assertEquals("02:00:00:00:00:02", second.macAddress());
        assertEquals("10.2.0.10", second.ip4Address());
        assertEquals("vlan://210", second.broadcastUri());
        assertEquals(210, second.vlan());
        assertEquals("breth0-210", second.bridge());
        assertEquals("eth0", second.uplink());
        assertEquals(Map.of(vm, got), nics.nicsOf(List.of(vm, 999_999L)), "as allocated; a VM without NICs is absent");
        assertEquals(Map.of(), nics.nicsOf(List.of()));

        // The identifier setting fills byte 1 from the next NIC on.
        ok(cloud.admin().call("updateConfiguration", "name", "mac.identifier", "value", "30"), "updateConfiguration");
        try {
            GuestNic third = nics.allocate(vm(zone, "vm-identifier"), zone.id, adminAccount,
                    List.of(new GuestNics.NicRequest(flat, null, null, "networkids"))).get(0);
            assertEquals("02:1e:00:00:00:03", third.macAddress());
            assertEquals("10.1.0.11", third.ip4Address());
        } finally {
            ok(cloud.admin().call("updateConfiguration", "name", "mac.identifier", "value", "0"), "updateConfiguration");
        }
    }

    @Test
    void givenAddressesAreUsedWhenValidAndFreeAndBadOnesAreRefusedNamingTheParameterKeepingNothing() throws Exception {
        Zone zone = zone("nics-given");
        Zone elsewhere = zone("nics-elsewhere");
        String net = network(zone, "given", "10.3.0.1", "10.3.0.10", "10.3.0.20", null);
        String foreign = network(elsewhere, "foreign", "10.4.0.1", "10.4.0.10", "10.4.0.20", null);
        long vm = vm(zone, "vm-given");
        GuestNic chosen = nics.allocate(vm, zone.id, adminAccount, List.of(new GuestNics.NicRequest(net, "10.3.0.15",
                "52:54:00:AB:CD:EF", "iptonetworklist[0]"))).get(0);
        assertEquals("10.3.0.15", chosen.ip4Address());
        assertEquals("52:54:00:ab:cd:ef", chosen.macAddress());

        long other = vm(zone, "vm-refused");
        long macSequence = cloud.count("SELECT mac_address FROM data_center WHERE id = " + zone.id);
        assertRefused(other, zone, new GuestNics.NicRequest(net, "10.3.0.21", null, "iptonetworklist[0].ip"),
                "Invalid value '10.3.0.21' for parameter iptonetworklist[0].ip: not in the range 10.3.0.10-10.3.0.20"
                        + " of network given");
        assertRefused(other, zone, new GuestNics.NicRequest(net, "10.3.0.15", null, "iptonetworklist[0].ip"),
                "for parameter iptonetworklist[0].ip: the address is already used by a NIC on network given");
        assertRefused(other, zone, new GuestNics.NicRequest(net, "10.3.0", null, "ipaddress"),
                "Invalid value '10.3.0' for parameter ipaddress: not an IPv4 address");
        assertRefused(other, zone, new GuestNics.NicRequest(net, null, "52:54:00:ab:cd:ef", "macaddress"),
                "Invalid value '52:54:00:ab:cd:ef' for parameter macaddress: already given to a NIC in zone"
                        + " nics-given");
        assertRefused(other, zone, new GuestNics.NicRequest(net, null, "01:00:5e:00:00:01", "macaddress"),
                "for parameter macaddress: a multicast MAC address");
        assertRefused(other, zone, new GuestNics.NicRequest(net, null, "nonsense", "macaddress"),
                "for parameter macaddress: not a MAC address");
        assertRefused(other, zone, new GuestNics.NicRequest(foreign, null, null, "networkids"),
                "for parameter networkids: network foreign is in zone nics-elsewhere, not in the VM's zone nics-given");
        assertRefused(other, zone, new GuestNics.NicRequest(UUID.randomUUID().toString(), null, null, "networkids"),
                "for parameter networkids: no such network");
        // a good first NIC and a bad second one: neither is kept
        assertRefused(other, zone, List.of(new GuestNics.NicRequest(net, null, null, "networkids"),
                new GuestNics.NicRequest(net, "10.3.0.99", null, "iptonetworklist[1].ip")), "10.3.0.99");
        assertEquals(Map.of(), nics.nicsOf(List.of(other)));
        assertEquals(macSequence, cloud.count("SELECT mac_address FROM data_center WHERE id = " + zone.id),
                "a refused allocation takes nothing from the MAC sequence either");
    }

    @Test
    void concurrentAllocationsNeverShareAnAddressOrMacAndExhaustionIs533() throws Exception {
        Zone zone = zone("nics-race");
        String net = network(zone, "race", "10.5.0.1", "10.5.0.10", "10.5.0.49", null);   // 40 addresses
        String second = network(zone, "race-2", "10.6.0.1", "10.6.0.10", "10.6.0.49", "260");
        List<Long> vms = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            vms.add(vm(zone, "vm-race-" + i));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<GuestNic>>> results = new ArrayList<>();
        for (long vm : vms) {
            Callable<List<GuestNic>> deploy = () -> {
                go.await();
                // every VM takes a NIC on both networks, in the transaction a deploy would hold
                return jdbc.inTransaction(() -> nics.allocate(vm, zone.id, adminAccount, List.of(
                        new GuestNics.NicRequest(net, null, null, "networkids"),
                        new GuestNics.NicRequest(second, null, null, "networkids"))));
            };
            results.add(pool.submit(deploy));
        }
        go.countDown();
        Set<String> macs = new HashSet<>();
        Set<String> firstAddresses = new HashSet<>();
        Set<String> secondAddresses = new HashSet<>();
        for (Future<List<GuestNic>> result : results) {
            List<GuestNic> got = result.get(60, TimeUnit.SECONDS);
            got.forEach(nic -> macs.add(nic.macAddress()));
            firstAddresses.add(got.get(0).ip4Address());
            secondAddresses.add(got.get(1).ip4Address());
        }
        assertEquals(80, macs.size(), "80 NICs, 80 MACs");
        assertEquals(40, firstAddresses.size(), "40 NICs on race, 40 addresses");
        assertEquals(40, secondAddresses.size(), "40 NICs on race-2, 40 addresses");
        assertEquals(40, cloud.count("SELECT COUNT(DISTINCT ip4_address) FROM nics WHERE removed IS NULL AND"
                + " ip4_address BETWEEN '10.5.0.10' AND '10.5.0.49'"));

        ApiException full = assertThrows(ApiException.class, () -> nics.allocate(vm(zone, "vm-one-too-many"), zone.id,
                adminAccount, List.of(new GuestNics.NicRequest(net, null, null, "networkids"))));
        assertEquals(ApiErrorCode.INSUFFICIENT_CAPACITY_ERROR, full.errorCode());
        assertTrue(full.getMessage().startsWith("Insufficient address capacity: network race has no free IPv4 address"
                + " left in its range 10.5.0.10-10.5.0.49"), full.getMessage());
    }

    @Test
    void aReleasedAddressIsGivenAgainButItsMacNever() throws Exception {
        Zone zone = zone("nics-reuse");
        String net = network(zone, "reuse", "10.7.0.1", "10.7.0.10", "10.7.0.10", null);   // one address
        long first = vm(zone, "vm-first");
        GuestNic before = nics.allocate(first, zone.id, adminAccount,
                List.of(new GuestNics.NicRequest(net, null, null, "networkids"))).get(0);
        nics.release(first);
        assertEquals(Map.of(), nics.nicsOf(List.of(first)));
        long second = vm(zone, "vm-second");
        GuestNic after = nics.allocate(second, zone.id, adminAccount,
                List.of(new GuestNics.NicRequest(net, null, null, "networkids"))).get(0);
        assertEquals(before.ip4Address(), after.ip4Address(), "the only address, free again");
        assertNotEquals(before.macAddress(), after.macAddress(), "a MAC is never given twice in a zone");
        ApiException reused = assertThrows(ApiException.class, () -> nics.allocate(vm(zone, "vm-third"), zone.id,
                adminAccount, List.of(new GuestNics.NicRequest(net, null, before.macAddress(), "macaddress"))));
        assertTrue(reused.getMessage().contains("already given to a NIC in zone nics-reuse"), reused.getMessage());
    }

    @Test
    void aNetworkWithNicsIsNotDeletedAndItsRangeNotShrunkPastThem() throws Exception {
        Zone zone = zone("nics-delete");
        String net = network(zone, "busy", "10.8.0.1", "10.8.0.10", "10.8.0.30", null);
        long vm = vm(zone, "web-1");
        nics.allocate(vm, zone.id, adminAccount, List.of(new GuestNics.NicRequest(net, "10.8.0.25", null, "ip")));

        ApiClient.Reply refused = cloud.admin().call("deleteNetwork", "id", net);
        assertEquals(536, refused.status(), refused.body());
        assertEquals("Cannot delete network busy: it still has 1 VM(s) with a NIC on it (web-1); delete or move them"
                + " first", refused.response("deleteNetwork").get("errortext").asText());
        JsonNode shrink = cloud.admin().awaitJob(ok(cloud.admin().call("updateNetwork", "id", net, "endip",
                "10.8.0.20"), "updateNetwork").get("jobid").asText());
        assertEquals(2, shrink.get("jobstatus").asInt(), shrink.toString());
        assertEquals(431, shrink.get("jobresult").get("errorcode").asInt());
        assertTrue(shrink.get("jobresult").get("errortext").asText().contains("for parameters startip and endip: 1"
                + " address(es) NICs hold would fall outside the range (10.8.0.25)"), shrink.toString());
        assertEquals("10.8.0.30", ok(cloud.admin().call("listNetworks", "id", net), "listNetworks").get("network")
                .get(0).get("endip").asText(), "the range stays");

        nics.release(vm);
        JsonNode deleted = cloud.admin().awaitJob(ok(cloud.admin().call("deleteNetwork", "id", net), "deleteNetwork")
                .get("jobid").asText());
        assertEquals(1, deleted.get("jobstatus").asInt(), deleted.toString());
    }

    @Test
    void anAccountOutsideTheDomainANetworkServesMayNotUseIt() throws Exception {
        Zone zone = zone("nics-domains");
        String team = ok(cloud.admin().call("createDomain", "name", "team"), "createDomain").get("domain").get("id")
                .asText();
        String teamNet = network(zone, "team-net", "10.9.0.1", "10.9.0.10", "10.9.0.20", "290", "domainid", team);
        ok(cloud.admin().call("createAccount", "username", "teammate", "password", "pw", "email", "t@example.com",
                "firstname", "T", "lastname", "M", "domainid", team), "createAccount");
        long teammate = cloud.count("SELECT id FROM account WHERE account_name = 'teammate'");
        GuestNic nic = nics.allocate(vm(zone, "vm-team"), zone.id, teammate,
                List.of(new GuestNics.NicRequest(teamNet, null, null, "networkids"))).get(0);
        assertEquals("team-net", nic.networkName());
        ApiException outside = assertThrows(ApiException.class, () -> nics.allocate(vm(zone, "vm-root"), zone.id,
                adminAccount, List.of(new GuestNics.NicRequest(teamNet, null, null, "networkids"))));
        assertEquals(ApiErrorCode.ACCOUNT_ERROR, outside.errorCode());
        assertEquals("The account may not use network team-net (parameter networkids): it serves another domain",
                outside.getMessage());
    }

    @Test
    void aNicOnADualStackNetworkGetsItsEui64AddressAndOneOnAnIpv4NetworkNone() throws Exception {
        Zone zone = zone("nics-v6");
        String dual = network(zone, "dual-a", "10.6.0.1", "10.6.0.10", "10.6.0.20", null, "ip6cidr",
                "fd00:6::/64", "ip6pdprefix", "fd00:6:8000::/48", "ip6pdlength", "56");
        String v4 = network(zone, "v4-a", "10.7.0.1", "10.7.0.10", "10.7.0.20", null);
        long vm = vm(zone, "vm-v6");
        List<GuestNic> got = nics.allocate(vm, zone.id, adminAccount, List.of(
                new GuestNics.NicRequest(dual, null, "52:54:00:d6:c2:a9", "iptonetworklist"),
                new GuestNics.NicRequest(v4, null, null, "networkids")));
        assertEquals("fd00:6::5054:ff:fed6:c2a9", got.get(0).ip6Address(), "the address SLAAC gives that MAC");
        assertEquals("fd00:6::/64", got.get(0).ip6Cidr());
        assertEquals("fd00:6::1", got.get(0).ip6Gateway());
        assertNull(got.get(1).ip6Address());
        assertNull(got.get(1).ip6Cidr());
        assertEquals(got, nics.nicsOf(List.of(vm)).get(vm), "stored as allocated");
        NetworkRepository networks = new NetworkRepository(jdbc);
        assertEquals(new PdPools.PdPool(io.rbdstack.spi.net.Ipv6Cidr.parse("fd00:6:8000::/48"), 56),
                networks.pdPools().of(networks.find(dual).orElseThrow().id()).orElseThrow());

        ApiClient.Reply overlapping = cloud.admin().call("createNetwork", "name", "dual-b", "zoneid", zone.uuid(),
                "gateway", "10.8.0.1", "netmask", "255.255.255.0", "startip", "10.8.0.10", "bridge", "brdualb",
                "networkofferingid", offering(), "ip6cidr", "fd00:7::/64", "ip6pdprefix", "fd00:6:8000:100::/56");
        assertEquals(431, overlapping.status(), overlapping.body());
        assertTrue(overlapping.body().contains("for parameter ip6pdprefix: it overlaps fd00:6:8000::/48 of network"
                + " dual-a"), overlapping.body());
        ApiClient.Reply tooShort = cloud.admin().call("createNetwork", "name", "dual-c", "zoneid", zone.uuid(),
                "gateway", "10.9.0.1", "netmask", "255.255.255.0", "startip", "10.9.0.10", "bridge", "brdualc",
                "networkofferingid", offering(), "ip6cidr", "fd00:9::/64", "ip6pdprefix", "fd00:9:8000::/48",
                "ip6pdlength", "40");
        assertEquals(431, tooShort.status(), tooShort.body());
        assertTrue(tooShort.body().contains("for parameter ip6pdlength"), tooShort.body());
    }

    private static void assertRefused(long vm, Zone zone, GuestNics.NicRequest request, String text) {
        assertRefused(vm, zone, List.of(request), text);
    }

    private static void assertRefused(long vm, Zone zone, List<GuestNics.NicRequest> requests, String text) {
        ApiException e = assertThrows(ApiException.class, () -> nics.allocate(vm, zone.id, adminAccount, requests));
        assertEquals(ApiErrorCode.PARAM_ERROR, e.errorCode(), e.getMessage());
        assertTrue(e.getMessage().contains(text), "expected '" + text + "' in: " + e.getMessage());
    }

    record Zone(String uuid, long id) {
    }

    private static Zone zone(String name) throws Exception {
        String uuid = ok(cloud.admin().call("createZone", "name", name, "dns1", "10.0.0.2", "internaldns1",
                "10.0.0.3", "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        return new Zone(uuid, cloud.count("SELECT id FROM data_center WHERE uuid = '" + uuid + "'"));
    }

    private static String network(Zone zone, String name, String gateway, String start, String end, String vlan,
                                  String... more) throws Exception {
        List<String> params = new ArrayList<>(List.of("name", name, "zoneid", zone.uuid(), "gateway", gateway,
                "netmask", "255.255.255.0", "startip", start, "endip", end, "networkofferingid", offering()));
        if (vlan != null) {
            params.addAll(List.of("vlan", vlan));
        } else {
            params.addAll(List.of("bridge", "br" + name));
        }
        params.addAll(List.of(more));
        return ok(cloud.admin().call("createNetwork", params.toArray(String[]::new)), "createNetwork").get("network")
                .get("id").asText();
    }

    private static String offering() throws Exception {
        return ok(cloud.admin().call("listNetworkOfferings"), "listNetworkOfferings").get("networkoffering").get(0)
                .get("id").asText();
    }

    /** A VM row as the VM code would have made it before asking for NICs. */
    private static long vm(Zone zone, String name) {
        return jdbc.insert("INSERT INTO vm_instance (uuid, name, instance_name, state, account_id, domain_id,"
                + " data_center_id, cpus, cpu_speed, memory_mb, created) VALUES (?, ?, ?, 'Stopped', ?, 1, ?, 1, 500,"
                + " 128, UTC_TIMESTAMP())", UUID.randomUUID().toString(), name, "i-" + UUID.randomUUID(),
                adminAccount, zone.id());
    }
}
