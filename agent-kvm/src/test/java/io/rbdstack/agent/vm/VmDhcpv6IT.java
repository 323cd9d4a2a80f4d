package io.rbdstack.agent.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.agent.HostIdentity;
import io.rbdstack.agent.KvmAgentContext;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.dhcp.DhcpSettings;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.Guests;
import io.rbdstack.agent.fixtures.TestTemplate;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtCephSecrets;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtRbdPools;
import io.rbdstack.agent.template.TemplateImportSettings;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpLifetimes;
import io.rbdstack.spi.agent.dhcp.DhcpNetworkAnswer;
import io.rbdstack.spi.agent.dhcp.DhcpReservation;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import io.rbdstack.spi.agent.vm.StartVmCommand;
import io.rbdstack.spi.agent.vm.StopVmCommand;
import io.rbdstack.spi.agent.vm.VmDisk;
import io.rbdstack.spi.agent.vm.VmNic;
import io.rbdstack.spi.agent.vm.VmStateAnswer;
import io.rbdstack.storage.rbd.agent.CloneRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.ImportRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.testing.RealServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real VM gets its reserved IPv6 address by DHCPv6 from the agent's Kea: the test template (whose
 * initramfs runs dhclient -6 with a DUID-LL on its first NIC) booted from RBD through vm.start on a
 * bridge rbst&lt;random&gt;, the network applied through dhcp.applyNetwork with a reservation for the
 * NIC's MAC, and the guest's console read for RBDSTACK-IPV6 &lt;address&gt;. Everything is on the real
 * libvirtd, Ceph, Kea and radvd; the bridge, domain, images and Kea's directory go afterwards.
 */
class VmDhcpv6IT {

    private static final long MIB = 1L << 20;
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);
    private static final Duration ADDRESS_LIMIT = Duration.ofSeconds(90);
    private static final String MAC = "52:54:00:d6:c2:a9";
    private static final String INTERFACE_ID = "5054:ff:fed6:c2a9"; // EUI-64 of MAC (RFC 4291)

    @TempDir
    Path dir;
    private final RealServices services = RealServices.load();
    private final CephFixture cluster = new CephFixture();
    private final RadosConnector rados = new RadosConnector(RadosTimeouts.standard());
    private final LibvirtConnection libvirt = LibvirtConnection.to(services.libvirtUri());
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String template = "tmpl-rbst6-" + suffix;
    private final String root = "rbst6-root-" + suffix;
    private final String domainName = "rbst6-vm-" + suffix;
    private final String bridge = "rbst" + suffix.substring(0, 6);
    private final String vmUuid = UUID.randomUUID().toString();
    private final String network = UUID.randomUUID().toString();
    // A unique-local /64 of our own (groups ≥ 0x1000: no zero group to compress, RFC 5952 as written).
    private final String head = "fd" + hex(0x10, 0x100) + ":" + hex(0x1000, 0x10000) + ":" + hex(0x1000, 0x10000)
            + ":" + hex(0x1000, 0x10000);
    private final RbdPool pool = cluster.limitedPool();
    private Path consoleDir;
    private CommandHandler agent;

    private static String hex(int from, int to) {
        return Integer.toHexString(ThreadLocalRandom.current().nextInt(from, to));
    }

    @BeforeEach
    void setUp() throws Exception {
        TestTemplate image = TestTemplate.get(services);
        consoleDir = dir.resolve("consoles");
        KvmAgentContext context = new KvmAgentContext("rbst-host", () -> new HostInfo(1, 1000, 1L << 30, "9.0.0",
                "7.2.0", true, "qemu"), Map.of(
                LibvirtConnection.class, libvirt,
                HostFacts.class, new HostFacts(libvirt),
                RadosConnector.class, rados,
                HostIdentity.class, HostIdentity.of(UUID.randomUUID().toString()),
                VmSettings.class, VmSettings.of(consoleDir),
                DhcpSettings.class, DhcpSettings.of(dir.resolve("dhcp"), null)));
        // The RBD handlers read their template directories once, when they are made.
        Properties saved = (Properties) System.getProperties().clone();
        System.setProperty(TemplateImportSettings.ALLOWED_DIRECTORY, image.file().getParent().toString());
        System.setProperty(TemplateImportSettings.WORK_DIRECTORY, dir.resolve("work").toString());
        try {
            agent = CommandHandlerRegistry.load(VmDhcpv6IT.class.getClassLoader(), context);
        } finally {
            System.setProperties(saved);
        }
        assertSucceeded(agent.handle(new DefineRbdPoolCommand(pool)));
        assertSucceeded(agent.handle(new ImportRbdTemplateCommand(pool, template, "base", image.file().toString(), "RAW",
                "SHA-256", image.sha256(), 1L << 30)));
        assertSucceeded(agent.handle(new CloneRbdTemplateCommand(pool, template, "base", root, 64 * MIB)));
    }

    @Test
    void aGuestsDhcpv6ClientGetsTheEui64AddressReservedForItsMacAndRemovalFreesIt() throws Exception {
        String expected = head + ":" + INTERFACE_ID;
        long begin = System.nanoTime();
        VmStateAnswer started = (VmStateAnswer) agent.handle(new StartVmCommand(vmUuid, domainName, 1, 1000, 192,
                List.of(new VmDisk(0, UUID.randomUUID().toString(), pool.uuid(), root, "ROOT")),
                List.of(new VmNic(0, MAC, bridge, null, null, null, expected))));
        assertTrue(started.success(), started.toString());
        Path console = Path.of(started.consoleLogPath());

        // The gateway on the bridge; Kea serves the bridge only once it has carrier (the VM's tap is in)
        // and a link-local address out of DAD, so the network is applied after that (docs/ipv6-dhcpv6.md).
        assertEquals(0, Guests.run("ip", "-6", "addr", "add", head + "::1/64", "dev", bridge),
                "the gateway on " + bridge);
        Deadline.await(bridge + " has carrier and a usable link-local address", Duration.ofSeconds(30),
                () -> "1".equals(Files.readString(Path.of("/sys/class/net", bridge, "carrier")).strip())
                        && hasLinkLocalOutOfDad(bridge));
        DhcpNetworkAnswer applied = (DhcpNetworkAnswer) agent.handle(new ApplyDhcpNetworkCommand(network, bridge,
                head + "::/64", head + "::1", null, null, new DhcpLifetimes(1000, 2000, 3000, 4000), List.of("duid"),
                List.of(new DhcpReservation(MAC, expected, null))));
        assertTrue(applied.success(), applied.details());
        assertEquals(1, applied.reservations());

        String line = Guests.awaitLine(console, 0, line2 -> line2.startsWith("RBDSTACK-IPV6 "), BOOT_LIMIT.plus(ADDRESS_LIMIT));
        System.out.printf("vm.start to RBDSTACK-IPV6 (TCG: %s): %d ms%n", !"kvm".equals(started.domainType()),
                (System.nanoTime() - begin) / 1_000_000);
        assertEquals("RBDSTACK-IPV6 " + expected, line, "the guest got the EUI-64 address reserved for its MAC");
        Guests.awaitLine(console, 0, alive -> alive.startsWith("RBDSTACK-ALIVE") && alive.endsWith(" ip6=" + expected),
                Duration.ofSeconds(30));
        Path leases = dir.resolve("dhcp").resolve("kea-leases6.csv");
        assertTrue(Files.readString(leases).contains(expected), "Kea holds the guest's lease");

        DhcpNetworkAnswer removed = (DhcpNetworkAnswer) agent.handle(new RemoveDhcpNetworkCommand(network));
        assertTrue(removed.success(), removed.details());
        assertEquals(List.of(0, 0), List.of(removed.networks(), removed.reservations()));
        assertFalse(Files.exists(leases), "the lease is freed with the network");
    }

    /** Removes what the test made, each step tried even when an earlier one failed; the first failure is thrown. */
    @AfterEach
    void cleanUp() throws Exception {
        Exception first = null;
        List<ThrowingStep> steps = List.of(
                () -> agent.handle(new RemoveDhcpNetworkCommand(network)), // stops Kea and radvd if still serving
                () -> assertSucceeded(agent.handle(new StopVmCommand(vmUuid, domainName, 0, true))), // a VM not there counts as stopped
                () -> Deadline.await("the test's RBD images are deleted", Duration.ofSeconds(90), () -> {
                    try (RadosSession session = rados.connect(cluster.adminPool())) {
                        RbdImages images = new RbdImages(session);
                        images.delete(root);
                        images.delete(template);
                        return true;
                    }
                }),
                () -> new LibvirtRbdPools(libvirt).remove(pool.uuid()),
                () -> new LibvirtCephSecrets(libvirt).undefine(pool.uuid()),
                () -> {
                    if (Files.exists(Path.of("/sys/class/net", bridge))) {
                        assertEquals(0, Guests.run("ip", "link", "del", bridge), "ip link del " + bridge);
                    }
                },
                libvirt::close,
                cluster::close);
        for (ThrowingStep step : steps) {
            try {
                step.run();
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = e instanceof Exception exception ? exception : new Exception(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private interface ThrowingStep {
        void run() throws Exception;
    }

    private static void assertSucceeded(Answer answer) {
        assertTrue(answer.success(), answer.toString());
    }

    /** /proc/net/if_inet6: address, ifindex, prefix length, scope (0x20: link), flags (0x40: tentative), name. */
    private static boolean hasLinkLocalOutOfDad(String link) throws IOException {
        return Files.readAllLines(Path.of("/proc/net/if_inet6")).stream().map(String::strip)
                .map(line -> line.split("\\s+"))
                .anyMatch(f -> f.length == 6 && f[5].equals(link) && Integer.parseInt(f[3], 16) == 0x20
                        && (Integer.parseInt(f[4], 16) & 0x40) == 0);
    }
}
