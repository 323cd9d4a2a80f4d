package io.rbdstack.agent.dhcp;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.Guests;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.ServedBytes;
import io.rbdstack.agent.fixtures.TestTemplate;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.server.ApiClient;
import io.rbdstack.testing.RealServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's "Done when", through the API only: the real management server, this machine's real agent,
 * libvirtd, Ceph and Kea. A zone IPv6 prefix, a network of DefaultSharedDualStackNetworkOffering (its /64
 * allocated, a prefix-delegation pool of the zone's {@code dhcpv6.pd.delegated.length}) and two VMs on it,
 * booted from RBD. The guests are played first by network namespaces plugged into the network's bridge
 * with the NICs' MACs (ISC dhclient -6, DUID-LL and DUID-LLT), the VMs' own taps down meanwhile so that no
 * MAC is on the link twice; then VM A's tap comes up and its own DHCPv6 client (the test template's
 * initramfs, DUID-LL) prints the address it got. One cloud for the ordered tests; Kea is asked through its
 * control socket. Measured times are printed as {@code FIGURE} lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Dhcpv6ThroughTheApiIT {

    private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);
    private static final Duration LEASE_WAIT = Duration.ofSeconds(15);
    private static final Duration NO_LEASE_WAIT = Duration.ofSeconds(8);
    private static final Duration SYNC_LIMIT = Duration.ofSeconds(10);
    private static final int DELEGATED_LENGTH = 60;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);
    private static final String BRIDGE = "rbs6" + SUFFIX;
    /** A unique-local /48 of this run's own (groups >= 0x1000: RFC 5952 text as written), so runs never overlap. */
    private static final String ULA = "fd" + hex(0x10, 0x100) + ":" + hex(0x1000, 0x10000) + ":" + hex(0x1000, 0x10000);
    private static final String ZONE_PREFIX = ULA + ":100::/56";
    private static final String PD_PREFIX = ULA + ":8000::/52";
    private static final Pattern TAP = Pattern.compile("<target dev='([^']+)'");

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static ServedBytes http;
    static LibvirtConnection libvirt;
    static String template;
    static String offering;
    static String network;
    static String ip6cidr;
    static JsonNode vmA;
    static JsonNode vmB;
    static final List<BridgeGuest> guests = new ArrayList<>();

    private static String hex(int from, int to) {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt(from, to));
    }

    @BeforeAll
    static void start() throws Exception {
        RealServices services = RealServices.load();
        TestTemplate image = TestTemplate.get(services);
        libvirt = LibvirtConnection.to(services.libvirtUri());
        // The host's own control socket, so the server's dhcpv6.kea.control.socket (one shared path) does not move it.
        cloud = OneHostCloud.start(dir, List.of("dhcp.dir=" + kea(),
                "dhcp.control.socket=" + kea().resolve("kea6-ctrl.sock")));
        admin = cloud.admin();
        cloud.createdRbdPool("dhcpv6-e2e", cloud.ceph.limitedUser(), "zone");
        http = new ServedBytes("/guest.raw", Files.readAllBytes(image.file()));
        template = ok(admin.call("registerTemplate", "name", "guest", "url", http.url(), "zoneid", cloud.zoneId,
                "format", "RAW", "hypervisor", "KVM", "ispublic", "true", "checksum", "{SHA-256}" + image.sha256()),
                "registerTemplate").get("template").get(0).get("id").asText();
        Deadline.await("template imported", Duration.ofSeconds(120), () -> list(admin, "listTemplates", "template",
                "templatefilter", "all", "id", template).get(0).get("isready").asBoolean());
        offering = ok(admin.call("createServiceOffering", "name", "tiny", "cpunumber", "1", "cpuspeed", "500",
                "memory", "192"), "createServiceOffering").get("serviceoffering").get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (BridgeGuest guest : guests) {
            step(failures, guest::close);
        }
        step(failures, () -> {
            if (http != null) {
                http.close();
            }
        });
        if (cloud != null) {
            // The VMs (expunged) before the template: its base image cannot go while clones of it exist.
            step(failures, () -> {
                for (JsonNode left : list(admin, "listVirtualMachines", "virtualmachine", "listall", "true")) {
                    awaitOk(admin, admin.call("destroyVirtualMachine", "id", left.get("id").asText(), "expunge", "true"),
                            "destroyVirtualMachine");
                }
            });
            // With its last VM gone the network is served nowhere: the server stops this host's Kea and radvd.
            step(failures, () -> Deadline.await("Kea and radvd stopped with the network's last VM", SYNC_LIMIT,
                    () -> !Files.exists(kea().resolve("kea-dhcp6.kea-dhcp6.pid")) && !Files.exists(kea().resolve("radvd.pid"))));
            step(failures, () -> {
                if (template != null) {
                    admin.awaitJob(ok(admin.call("deleteTemplate", "id", template), "deleteTemplate").get("jobid").asText());
                }
            });
            step(failures, cloud::close);
        }
        step(failures, () -> {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Guests.run("ip", "link", "del", BRIDGE);
            }
        });
        step(failures, () -> {
            if (libvirt != null) {
                libvirt.close();
            }
        });
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            failures.add(e);
        } catch (AssertionError e) {
            failures.add(new Exception(e));
        }
    }

    @Test
    @Order(1)
    void aDualStackNetworkGetsASlash64OfTheZonePrefixAndItsVmsReservationsReachKea() throws Exception {
        ok(admin.call("updateConfiguration", "name", "dhcpv6.pd.delegated.length", "value",
                Integer.toString(DELEGATED_LENGTH)), "updateConfiguration");
        JsonNode prefix = awaitOk(admin, admin.call("createGuestNetworkIpv6Prefix", "zoneid", cloud.zoneId, "prefix",
                ZONE_PREFIX), "createGuestNetworkIpv6Prefix").get("guestnetworkipv6prefix");
        assertEquals(ZONE_PREFIX, prefix.get("prefix").asText());
        String dualStack = list(admin, "listNetworkOfferings", "networkoffering", "name",
                "DefaultSharedDualStackNetworkOffering").stream()
                .filter(o -> o.get("name").asText().equals("DefaultSharedDualStackNetworkOffering")).findFirst()
                .orElseThrow(() -> new AssertionError("no DefaultSharedDualStackNetworkOffering")).get("id").asText();
        JsonNode created = ok(admin.call("createNetwork", "name", "v6", "displaytext", "v6", "networkofferingid",
                dualStack, "zoneid", cloud.zoneId, "gateway", "10.213.0.1", "netmask", "255.255.255.0", "startip",
                "10.213.0.10", "endip", "10.213.0.50", "bridge", BRIDGE, "ip6pdprefix", PD_PREFIX), "createNetwork")
                .get("network");
        network = created.get("id").asText();
        ip6cidr = created.get("ip6cidr").asText();
        assertEquals("DualStack", created.get("internetprotocol").asText());
        assertTrue(ip6cidr.endsWith("/64") && Ipv6Prefix.parse(ZONE_PREFIX).contains(address(ip6cidr)),
                ip6cidr + " is a /64 of " + ZONE_PREFIX);

        long begin = System.nanoTime();
        vmA = deploy("v6-a");
        long deployedA = System.nanoTime();
        vmB = deploy("v6-b");
        long deployedB = System.nanoTime();
        System.out.printf("FIGURE deployVirtualMachine on the dual-stack network (TCG): %d ms, %d ms%n",
                ms(begin, deployedA), ms(deployedA, deployedB));
        for (JsonNode vm : List.of(vmA, vmB)) {
            JsonNode nic = vm.get("nic").get(0);
            assertEquals(ip6cidr, nic.get("ip6cidr").asText(), nic.toString());
            assertEquals(eui64(mac(vm)), canonical(nic.get("ip6address").asText()),
                    "the NIC's EUI-64 address in " + ip6cidr + ": " + nic);
        }
        long reserved = awaitReservations(List.of(vmA, vmB));
        System.out.printf("FIGURE both reservations in the host's Kea %d ms after the second deploy answered%n",
                ms(deployedB, reserved));
    }

    @Test
    @Order(2)
    void aDuidLlGuestWithNicAsMacGetsExactlyItsIp6address() throws Exception {
        BridgeGuest guest = guest("a", mac(vmA));
        long begin = System.nanoTime();
        Optional<String> address = guest.dhclient.address("LL", LEASE_WAIT);
        System.out.printf("FIGURE dhclient -6 -D LL had its address in %d ms%n", ms(begin, System.nanoTime()));
        assertEquals(Optional.of(ip6address(vmA)), address, "DUID-LL guest with " + mac(vmA));
    }

    @Test
    @Order(3)
    void aDuidLltGuestWithNicBsMacGetsExactlyItsIp6address() throws Exception {
        BridgeGuest guest = guest("b", mac(vmB));
        long begin = System.nanoTime();
        Optional<String> address = guest.dhclient.address("LLT", LEASE_WAIT);
        System.out.printf("FIGURE dhclient -6 -D LLT had its address in %d ms%n", ms(begin, System.nanoTime()));
        assertEquals(Optional.of(ip6address(vmB)), address, "DUID-LLT guest with " + mac(vmB));
    }

    // The server configures no address pool (NICs have reservations only): a MAC no NIC has gets nothing.
    @Test
    @Order(4)
    void aMacWithoutAReservationGetsNoAddressTheNetworkHavingNoPool() throws Exception {
        JsonNode subnet = keaSubnet();
        assertEquals(0, subnet.path("pools").size(), "no pool: " + subnet.path("pools"));
        BridgeGuest guest = guest("c", "02:5e:00:00:00:01");
        assertEquals(Optional.empty(), guest.dhclient.address("LLT", NO_LEASE_WAIT), "an unreserved MAC gets nothing");
    }

    @Test
    @Order(5)
    void prefixDelegationGivesAPrefixOfTheDelegatedLengthSettingFromTheNetworksPool() throws Exception {
        BridgeGuest guest = guest("d", "02:5e:00:00:00:02");
        String prefix = guest.dhclient.prefix(LEASE_WAIT).orElseThrow(() -> new AssertionError("no delegated prefix"));
        String[] parts = prefix.split("/");
        assertEquals(Integer.toString(DELEGATED_LENGTH), parts[1], prefix + " has dhcpv6.pd.delegated.length");
        assertTrue(Ipv6Prefix.parse(PD_PREFIX).contains(address(parts[0])), prefix + " is cut from " + PD_PREFIX);
    }

    // The namespace playing A leaves the link first: the VM's client sends the same DUID-LL (its MAC), so
    // Kea gives it the lease the namespace had.
    @Test
    @Order(6)
    void vmAsOwnDhcpv6ClientGetsItsIp6addressOnceItsTapIsUp() throws Exception {
        BridgeGuest playingA = guests.get(0);
        playingA.close();
        guests.remove(playingA);
        // The guest is up (its console says so) and has no address yet: the one it prints next came through the tap.
        Guests.awaitLine(console(vmA), 0, l -> l.startsWith("RBDSTACK-ALIVE"), BOOT_LIMIT);
        long begin = System.nanoTime();
        assertTrue(!Files.readString(console(vmA)).contains("RBDSTACK-IPV6"), "no address before the tap is up");
        NetnsPair.ip("link", "set", tap(vmA), "up");
        String line = Guests.awaitLine(console(vmA), 0, l -> l.startsWith("RBDSTACK-IPV6 "), BOOT_LIMIT);
        System.out.printf("FIGURE VM A's tap up to RBDSTACK-IPV6 on its console (TCG): %d ms%n", ms(begin, System.nanoTime()));
        assertEquals("RBDSTACK-IPV6 " + ip6address(vmA), line, "the VM got its NIC's EUI-64 address");
        Guests.awaitLine(console(vmA), 0, l -> l.startsWith("RBDSTACK-ALIVE") && l.endsWith(" ip6=" + ip6address(vmA)),
                Duration.ofSeconds(30));
    }

    @Test
    @Order(7)
    void anExpungedVmsReservationLeavesKeaAndItsMacThenGetsNothing() throws Exception {
        BridgeGuest playingB = guests.get(0);
        assertEquals(playingB.namespace, name("b"));
        KeaControl kea = control();
        assertTrue(leaseOf(kea, ip6address(vmB)).isPresent(), "B's address is leased before the expunge");
        long begin = System.nanoTime();
        awaitOk(admin, admin.call("destroyVirtualMachine", "id", vmB.get("id").asText(), "expunge", "true"),
                "destroyVirtualMachine");
        long destroyed = System.nanoTime();
        Deadline.await("B's reservation is gone from Kea", SYNC_LIMIT, () -> !reservedMacs().contains(mac(vmB)));
        long gone = System.nanoTime();
        // The agent frees the lease right after Kea took the configuration without the reservation
        // (config-set, then lease6-bulk-apply), so a reader between the two still sees it.
        Deadline.await("B's lease is freed", SYNC_LIMIT, () -> leaseOf(kea, ip6address(vmB)).isEmpty());
        long freed = System.nanoTime();
        System.out.printf("FIGURE destroyVirtualMachine expunge=true: %d ms; B's reservation gone from Kea %d ms after,"
                + " its lease freed %d ms after%n", ms(begin, destroyed), ms(destroyed, gone), ms(destroyed, freed));
        assertEquals(List.of(mac(vmA)), reservedMacs(), "A's reservation stays");
        assertEquals(Optional.empty(), playingB.dhclient.address("LLT", NO_LEASE_WAIT), "B's MAC gets nothing any more");
    }

    private static JsonNode deploy(String name) throws Exception {
        JsonNode vm = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId, "serviceofferingid",
                offering, "templateid", template, "name", name, "networkids", network), "deployVirtualMachine")
                .get("virtualmachine");
        assertEquals("Running", vm.get("state").asText());
        // Until the namespaces playing the guests are done, the VM's own DHCPv6 client stays off the link
        // (its initramfs starts it seconds after boot, under TCG well after this).
        NetnsPair.ip("link", "set", tap(vm), "down");
        return list(admin, "listVirtualMachines", "virtualmachine", "id", vm.get("id").asText()).get(0);
    }

    private static BridgeGuest guest(String role, String mac) throws Exception {
        Path guestDir = Files.createDirectories(dir.resolve("guest-" + role));
        BridgeGuest guest = new BridgeGuest(name(role), BRIDGE, mac, guestDir);
        guests.add(guest);
        return guest;
    }

    private static String name(String role) {
        return "rbk" + SUFFIX + role;
    }

    /** The VM's tap: the target dev of its one interface in the live domain XML. */
    private static String tap(JsonNode vm) throws Exception {
        String xml = libvirt.call(c -> c.domainLookupByName(vm.get("instancename").asText()).getXMLDesc(0));
        String iface = xml.substring(xml.indexOf("<interface"), xml.indexOf("</interface>"));
        Matcher matcher = TAP.matcher(iface);
        assertTrue(matcher.find(), "no tap in " + iface);
        return matcher.group(1);
    }

    /** Waits until Kea's running configuration reserves exactly these VMs' NICs; when it did. */
    private static long awaitReservations(List<JsonNode> vms) {
        List<String> macs = vms.stream().map(Dhcpv6ThroughTheApiIT::mac).sorted().toList();
        Deadline.await("Kea reserves " + macs, SYNC_LIMIT, () -> control().answers() && reservedMacs().equals(macs));
        for (JsonNode reservation : keaSubnet().path("reservations")) {
            JsonNode vm = vms.stream().filter(v -> mac(v).equals(reservation.path("hw-address").asText())).findFirst()
                    .orElseThrow();
            assertEquals("[\"" + ip6address(vm) + "\"]", reservation.path("ip-addresses").toString(), reservation.toString());
        }
        return System.nanoTime();
    }

    private static List<String> reservedMacs() {
        List<String> macs = new ArrayList<>();
        keaSubnet().path("reservations").forEach(r -> macs.add(r.path("hw-address").asText()));
        return macs.stream().sorted().toList();
    }

    /** The subnet6 Kea runs for the network (config-get through the control socket). */
    private static JsonNode keaSubnet() {
        JsonNode subnets = control().call("config-get", null).at("/Dhcp6/subnet6");
        for (JsonNode subnet : subnets) {
            if (subnet.path("subnet").asText().equals(ip6cidr)) {
                assertEquals(network, subnet.at("/user-context/network").asText(), subnet.toString());
                return subnet;
            }
        }
        throw new AssertionError("Kea serves no subnet " + ip6cidr + ": " + subnets);
    }

    private static Optional<JsonNode> leaseOf(KeaControl kea, String address) {
        JsonNode lease = kea.call("lease6-get", JsonNodeFactory.instance.objectNode().put("ip-address", address));
        return lease.isMissingNode() || lease.isEmpty() ? Optional.empty() : Optional.of(lease);
    }

    private static KeaControl control() {
        return new KeaControl(kea().resolve("kea6-ctrl.sock"), Duration.ofSeconds(10));
    }

    /** The agent's DHCP directory (its dhcp.dir). */
    private static Path kea() {
        return dir.resolve("dhcp");
    }

    private static Path console(JsonNode vm) {
        return OneHostCloud.consoleLogDir(dir).resolve(vm.get("instancename").asText() + ".console.log");
    }

    private static String mac(JsonNode vm) {
        return vm.get("nic").get(0).get("macaddress").asText();
    }

    private static String ip6address(JsonNode vm) {
        String address = vm.get("nic").get(0).path("ip6address").asText(null);
        assertNotNull(address, "no ip6address: " + vm.get("nic"));
        return canonical(address);
    }

    private static String eui64(String mac) {
        return Eui64.address(MacAddress.parse(mac), Ipv6Prefix.parse(ip6cidr));
    }

    private static byte[] address(String textOrCidr) {
        return Ipv6Prefix.Ipv6Text.parse(textOrCidr.split("/")[0]);
    }

    /** RFC 5952 form, as dhclient's addresses are compared (Dhclient) and Kea prints them. */
    private static String canonical(String address) {
        return Ipv6Prefix.Ipv6Text.format(address(address));
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }
}
