package io.rbdstack.agent.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.dhcp.DhcpService;
import io.rbdstack.agent.dhcp.DhcpSettings;
import io.rbdstack.agent.dhcp.KeaControl;
import io.rbdstack.agent.dhcp.Launcher;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.Guests;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.server.ApiClient;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import io.rbdstack.spi.agent.vm.VmNic;
import io.rbdstack.testing.RealServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NIC changes through the API reach Kea on the real host: the real server, this machine's agent and
 * Kea (asked through the control socket the server's {@code dhcpv6.kea.control.socket} names), and a
 * diskless transient domain on the real libvirtd standing for a running VM (it boots nothing: the
 * reservations are what is proven, and the hot-plug's attach; an unplug needs a guest that answers ACPI).
 */
class VmNicsKeaIT {

    @TempDir
    Path dir;
    private final String suffix = UUID.randomUUID().toString().substring(0, 6);
    private final List<String> bridges = List.of("rbn" + suffix + "a", "rbn" + suffix + "b", "rbn" + suffix + "c",
            "rbn" + suffix + "d");
    // unique-local /64s of our own (groups >= 0x1000: written as Kea and the server print them)
    private final String head = "fd" + hex(0x10, 0x100) + ":" + hex(0x1000, 0x10000) + ":" + hex(0x1000, 0x10000);
    private final LibvirtConnection libvirt = LibvirtConnection.to(RealServices.load().libvirtUri());
    private final List<String> domains = new ArrayList<>();
    private OneHostCloud cloud;
    private Path socket;

    private static String hex(int from, int to) {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt(from, to));
    }

    @Test
    void nicsAddedAndRemovedThroughTheApiAreReservedInKeaAtOnceAndAHostDropsANetworkDeletedWhileItsAgentWasDown()
            throws Exception {
        cloud = OneHostCloud.start(dir);
        ApiClient admin = cloud.admin();
        // the server's socket, not the agent's default one in its dhcp.dir: the agent must take it
        socket = dir.resolve("ctl").resolve("kea6.sock");
        ok(admin.call("updateConfiguration", "name", "dhcpv6.kea.control.socket", "value", socket.toString()),
                "updateConfiguration");
        String plain = network(admin, "plain", bridges.get(0), "10.231.0", null);
        String served = network(admin, "served", bridges.get(1), "10.232.0", head + ":1001::/64");
        String deleted = network(admin, "deleted", bridges.get(2), "10.233.0", head + ":1002::/64");
        String joined = network(admin, "joined", bridges.get(3), "10.234.0", head + ":1003::/64");
        String offering = ok(admin.call("createServiceOffering", "name", "nic-tiny", "cpunumber", "1", "cpuspeed",
                "100", "memory", "64"), "createServiceOffering").get("serviceoffering").get("id").asText();
        String template = UUID.randomUUID().toString();
        sql("INSERT INTO vm_template (uuid, name, url, format, account_id, domain_id, state, size, created)"
                + " VALUES (?, 'nic-tmpl', 'http://t/t.raw', 'RAW', 1, 1, 'Ready', 1073741824, UTC_TIMESTAMP())",
                template);

        // A VM with NICs on two dual-stack networks, recorded while Stopped, then running here.
        String running = stageVm("nic-run", offering, template);
        String servedMac = addNic(admin, running, served).get("macaddress").asText();
        String deletedNic = addNic(admin, running, deleted).get("id").asText();
        String instance = instanceName(running);
        Bridges hostBridges = new Bridges(Links.sysfs());
        hostBridges.ensure(bridges.get(1), null, null);
        hostBridges.ensure(bridges.get(2), null, null);
        startDiskless(instance, running, List.of(new VmNic(0, servedMac, bridges.get(1), null, null, null, null)));
        sql("UPDATE vm_instance SET state = 'Running', host_id = (SELECT id FROM host WHERE uuid = ?),"
                + " power_state = 'PowerOn' WHERE uuid = ?", cloud.hostId, running);
        // the reconnect sends the whole set: both networks served, on the server's control socket
        cloud.stopAgent();
        cloud.startAgent();
        KeaControl kea = new KeaControl(socket, Duration.ofSeconds(10));
        Deadline.await("Kea serves both networks on the server's socket", Duration.ofSeconds(30),
                () -> Files.exists(socket) && kea.answers() && subnet(kea, served) != null
                        && subnet(kea, deleted) != null);
        assertTrue(reservedMacs(kea, served).contains(servedMac), "the VM's reservation");
        assertTrue(gatewayOn(bridges.get(2), head + ":1002::1"), "the deleted-to-be network's gateway on its bridge");
        assertTrue(Files.exists(Path.of("/sys/class/net", keeperOf(bridges.get(2)))), "and a carrier keeper in it");

        // The network goes while the host's agent is down: its NIC and the network are removed in the database.
        cloud.stopAgent();
        sql("UPDATE nics SET removed = UTC_TIMESTAMP() WHERE uuid = ?", deletedNic);
        sql("UPDATE networks SET removed = UTC_TIMESTAMP() WHERE uuid = ?", deleted);
        cloud.startAgent();
        Deadline.await("the restarted agent serves only what the server listed", Duration.ofSeconds(30),
                () -> kea.answers() && subnet(kea, served) != null && subnet(kea, deleted) == null);
        assertFalse(gatewayOn(bridges.get(2), head + ":1002::1"), "its gateway address is gone from the bridge");
        assertFalse(Files.exists(Path.of("/sys/class/net", keeperOf(bridges.get(2)))), "and its carrier keeper");

        // addNicToVirtualMachine on the running VM: hot-plugged, and reserved in Kea
        JsonNode plugged = awaitOk(admin, admin.call("addNicToVirtualMachine", "virtualmachineid", running,
                "networkid", joined), "addNicToVirtualMachine");
        long jobEnd = System.nanoTime();
        String pluggedMac = nicOn(plugged, joined).get("macaddress").asText();
        long reservedAfter = awaitReservation(kea, joined, pluggedMac, true, jobEnd);
        System.out.println("VmNicsKeaIT: addNicToVirtualMachine (running VM, hot-plug) reserved in Kea "
                + reservedAfter + " ms after its job ended");
        assertTrue(NicHotplug.hasMac(libvirt.call(c -> c.domainLookupByName(instance).getXMLDesc(0)), pluggedMac),
                "the domain has the plugged interface");
        assertTrue(reservedAfter < 1000, "within a second: " + reservedAfter + " ms");

        // A stopped VM's second NIC on a served network: reserved on the host that serves it, and gone when removed.
        String stopped = stageVm("nic-stopped", offering, template);
        addNic(admin, stopped, plain);
        JsonNode added = awaitOk(admin, admin.call("addNicToVirtualMachine", "virtualmachineid", stopped, "networkid",
                served), "addNicToVirtualMachine");
        jobEnd = System.nanoTime();
        JsonNode nic = nicOn(added, served);
        long addedAfter = awaitReservation(kea, served, nic.get("macaddress").asText(), true, jobEnd);
        awaitOk(admin, admin.call("removeNicFromVirtualMachine", "virtualmachineid", stopped, "nicid",
                nic.get("id").asText()), "removeNicFromVirtualMachine");
        jobEnd = System.nanoTime();
        long removedAfter = awaitReservation(kea, served, nic.get("macaddress").asText(), false, jobEnd);
        System.out.println("VmNicsKeaIT: addNicToVirtualMachine (stopped VM) reserved in Kea " + addedAfter
                + " ms, removeNicFromVirtualMachine unreserved " + removedAfter + " ms after its job ended");
        assertTrue(reservedMacs(kea, served).contains(servedMac), "the running VM's reservation stays");
        assertTrue(addedAfter < 1000 && removedAfter < 1000, addedAfter + " ms, " + removedAfter + " ms");
    }

    /** Milliseconds from {@code since} until Kea has (or no longer has) the MAC's reservation on the network. */
    private long awaitReservation(KeaControl kea, String network, String mac, boolean present, long since) {
        Deadline.await("Kea " + (present ? "reserves " : "no longer reserves ") + mac, Duration.ofSeconds(10),
                () -> reservedMacs(kea, network).contains(mac) == present);
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static JsonNode subnet(KeaControl kea, String network) {
        for (JsonNode subnet : kea.call("config-get", null).path("Dhcp6").path("subnet6")) {
            if (network.equals(subnet.path("user-context").path("network").asText())) {
                return subnet;
            }
        }
        return null;
    }

    private static List<String> reservedMacs(KeaControl kea, String network) {
        JsonNode subnet = subnet(kea, network);
        List<String> macs = new ArrayList<>();
        if (subnet != null) {
            subnet.path("reservations").forEach(r -> macs.add(r.path("hw-address").asText()));
        }
        return macs;
    }

    /** Whether the address is on the bridge (ip prints RFC 5952 text, as the prefixes here are written). */
    private static boolean gatewayOn(String bridge, String gateway) throws Exception {
        Process ip = new ProcessBuilder("ip", "-6", "-o", "addr", "show", "dev", bridge).redirectErrorStream(true)
                .start();
        String out = new String(ip.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        ip.waitFor();
        return out.contains(" " + gateway + "/64 ");
    }

    /** The agent's carrier keeper port of a bridge: "rbc", the CRC-32 of its name in hex, "k". */
    private static String keeperOf(String bridge) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bridge.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format("rbc%08xk", crc.getValue());
    }

    private void startDiskless(String instance, String vmUuid, List<VmNic> nics) throws Exception {
        String xml = DomainXml.domain(new DomainXml.Spec("qemu", instance, vmUuid, new DomainOwner(cloud.hostId,
                vmUuid), 1, 100, 64, List.of(), nics, OneHostCloud.consoleLogDir(dir).resolve(instance + ".log")));
        Files.createDirectories(OneHostCloud.consoleLogDir(dir));
        libvirt.call(c -> c.domainCreateXML(xml, 0));
        domains.add(instance);
    }

    private String network(ApiClient admin, String name, String bridge, String v4, String ip6Cidr) throws Exception {
        String offering = ok(admin.call("listNetworkOfferings", "isdefault", "true"), "listNetworkOfferings")
                .get("networkoffering").get(0).get("id").asText();
        List<String> params = new ArrayList<>(List.of("name", name + "-" + suffix, "zoneid", cloud.zoneId,
                "networkofferingid", offering, "gateway", v4 + ".1", "netmask", "255.255.255.0", "startip", v4 + ".10",
                "endip", v4 + ".20", "bridge", bridge));
        if (ip6Cidr != null) {
            params.addAll(List.of("ip6cidr", ip6Cidr));
        }
        return ok(admin.call("createNetwork", params.toArray(String[]::new)), "createNetwork").get("network")
                .get("id").asText();
    }

    private String stageVm(String name, String offering, String template) throws Exception {
        String uuid = UUID.randomUUID().toString();
        sql("INSERT INTO vm_instance (uuid, name, instance_name, display_name, state, account_id, domain_id,"
                + " data_center_id, cpus, cpu_speed, memory_mb, service_offering_id, template_id, created)"
                + " SELECT ?, ?, ?, ?, 'Stopped', a.id, a.domain_id, z.id, o.cpu, o.speed, o.ram_size, o.id, t.id,"
                + " UTC_TIMESTAMP() FROM account a, data_center z, service_offering o, vm_template t WHERE a.id = 1"
                + " AND z.uuid = ? AND o.uuid = ? AND t.uuid = ?", uuid, name, uuid, name, cloud.zoneId, offering,
                template);
        sql("UPDATE vm_instance SET instance_name = CONCAT('i-', account_id, '-', id, '-', ?) WHERE uuid = ?",
                suffix, uuid);
        return uuid;
    }

    private String instanceName(String vm) throws Exception {
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT instance_name FROM vm_instance WHERE uuid = ?")) {
            ps.setString(1, vm);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private JsonNode addNic(ApiClient admin, String vm, String network) throws Exception {
        return nicOn(awaitOk(admin, admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", network),
                "addNicToVirtualMachine"), network);
    }

    private static JsonNode nicOn(JsonNode vm, String network) {
        for (JsonNode nic : vm.path("nic")) {
            if (nic.path("networkid").asText().equals(network)) {
                return nic;
            }
        }
        throw new AssertionError("no NIC on " + network + ": " + vm);
    }

    private static JsonNode ok(ApiClient.Reply reply, String command) {
        assertEquals(200, reply.status(), command + ": " + reply.body());
        return reply.response(command);
    }

    private static JsonNode awaitOk(ApiClient admin, ApiClient.Reply reply, String command) throws Exception {
        JsonNode job = admin.awaitJob(ok(reply, command).get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), command + ": " + job);
        return job.get("jobresult").get("virtualmachine");
    }

    private void sql(String sql, Object... args) throws Exception {
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    /** Domains, the agent's Kea, radvd, gateway addresses and carrier keepers, the bridges; each step tried. */
    @AfterEach
    void cleanUp() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (String domain : domains) {
            step(failures, () -> libvirt.call(c -> {
                c.domainLookupByName(domain).destroy();
                return null;
            }));
        }
        step(failures, () -> {
            if (cloud != null) {
                cloud.close();
            }
        });
        // a DHCP service on the agent's directory stops its Kea and radvd and gives up what they served
        step(failures, () -> {
            DhcpService left = new DhcpService(new DhcpSettings(dir.resolve("dhcp"), socket == null
                    ? dir.resolve("dhcp").resolve("kea6-ctrl.sock") : socket, Launcher.direct()));
            left.stopLeftBehindDaemons();
            assertTrue(left.serveOnly(new ServeDhcpNetworksCommand(List.of())).success());
        });
        for (String bridge : bridges) {
            step(failures, () -> {
                // a keeper whose removal the agent's close interrupted stays in no bridge: deleted by name
                if (Files.exists(Path.of("/sys/class/net", keeperOf(bridge)))) {
                    assertEquals(0, Guests.run("ip", "link", "del", keeperOf(bridge)), "ip link del " + keeperOf(bridge));
                }
                if (Files.exists(Path.of("/sys/class/net", bridge))) {
                    assertEquals(0, Guests.run("ip", "link", "del", bridge), "ip link del " + bridge);
                }
            });
        }
        step(failures, libvirt::close);
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(List<Exception> failures, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            failures.add(e instanceof Exception exception ? exception : new Exception(e));
        }
    }
}
