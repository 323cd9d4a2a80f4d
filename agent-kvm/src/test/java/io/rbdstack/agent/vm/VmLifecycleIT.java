package io.rbdstack.agent.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rbdstack.agent.HostIdentity;
import io.rbdstack.agent.KvmAgentContext;
import io.rbdstack.agent.ceph.RadosConnector;
import io.rbdstack.agent.ceph.RadosSession;
import io.rbdstack.agent.dhcp.DhcpSettings;
import io.rbdstack.agent.ceph.RadosTimeouts;
import io.rbdstack.agent.ceph.RbdImages;
import io.rbdstack.agent.connect.CommandHandler;
import io.rbdstack.agent.connect.CommandHandlerRegistry;
import io.rbdstack.agent.fixtures.CephFixture;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.Guests;
import io.rbdstack.agent.fixtures.TestTemplate;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtCephSecrets;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.libvirt.LibvirtErrors;
import io.rbdstack.agent.libvirt.LibvirtRbdPools;
import io.rbdstack.agent.template.TemplateImportSettings;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.HostInfo;
import io.rbdstack.spi.agent.vm.AttachDiskCommand;
import io.rbdstack.spi.agent.vm.DetachDiskCommand;
import io.rbdstack.spi.agent.vm.QuiesceAnswer;
import io.rbdstack.spi.agent.vm.QuiesceVmCommand;
import io.rbdstack.spi.agent.vm.StartVmCommand;
import io.rbdstack.spi.agent.vm.StopVmCommand;
import io.rbdstack.spi.agent.vm.VmDisk;
import io.rbdstack.spi.agent.vm.VmNic;
import io.rbdstack.spi.agent.vm.VmPowerState;
import io.rbdstack.spi.agent.vm.VmStateAnswer;
import io.rbdstack.spi.agent.vm.VmStatesAnswer;
import io.rbdstack.spi.agent.vm.VmStatesCommand;
import io.rbdstack.storage.rbd.agent.CloneRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.CreateRbdImageCommand;
import io.rbdstack.storage.rbd.agent.DefineRbdPoolCommand;
import io.rbdstack.storage.rbd.agent.ImportRbdTemplateCommand;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.testing.LogCapture;
import io.rbdstack.testing.RealServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real VM through the agent's handlers (loaded from the agent's modules with a real
 * {@link KvmAgentContext}), on the real libvirtd and Ceph: the test template imported into RBD, a root
 * volume cloned from it, the guest booted from that RBD disk, a data disk hot-plugged in and out, its
 * states, a killed qemu, graceful and forced stops. The guest tells over its serial console what it
 * sees (RBDSTACK-ALIVE … disks=… macs=…), which the test reads from the console log.
 */
class VmLifecycleIT {

    private static final long MIB = 1L << 20;
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private final RealServices services = RealServices.load();
    private final CephFixture cluster = new CephFixture();
    private final RadosConnector rados = new RadosConnector(RadosTimeouts.standard());
    private final LibvirtConnection libvirt = LibvirtConnection.to(services.libvirtUri());
    private final HostFacts facts = new HostFacts(libvirt);
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String hostUuid = UUID.randomUUID().toString();
    private final String template = "tmpl-rbst-" + suffix;
    private final String root = "rbst-root-" + suffix;
    private final String data = "rbst-data-" + suffix;
    private final String blank = "rbst-blank-" + suffix;
    private final String domainName = "rbst-vm-" + suffix;
    private final String bridge = "rbst" + suffix.substring(0, 6);
    private final String vmUuid = UUID.randomUUID().toString();
    private final RbdPool pool = cluster.limitedPool();
    private final LogCapture logs = new LogCapture(); // from the pool's definition on
    private Path consoleDir;
    private CommandHandler agent;

    @BeforeEach
    void setUp() throws Exception {
        TestTemplate image = TestTemplate.get(services);
        consoleDir = dir.resolve("consoles");
        agent = agentFor(hostUuid, image.file().getParent());
        assertSucceeded(agent.handle(new DefineRbdPoolCommand(pool)));
        assertSucceeded(agent.handle(new ImportRbdTemplateCommand(pool, template, "base", image.file().toString(), "RAW",
                "SHA-256", image.sha256(), 1L << 30)));
        assertSucceeded(agent.handle(new CloneRbdTemplateCommand(pool, template, "base", root, 64 * MIB)));
        assertSucceeded(agent.handle(new CreateRbdImageCommand(pool, data, 16 * MIB)));
    }

    /** The agent's handlers as Agent builds them, for a host of that uuid (its template dir: the template's). */
    private CommandHandler agentFor(String host, Path templateDir) {
        KvmAgentContext context = new KvmAgentContext("rbst-host", () -> new HostInfo(1, 1000, 1L << 30, "9.0.0",
                "7.2.0", true, "qemu"), Map.of(
                LibvirtConnection.class, libvirt,
                HostFacts.class, facts,
                RadosConnector.class, rados,
                HostIdentity.class, HostIdentity.of(host),
                VmSettings.class, VmSettings.of(consoleDir),
                DhcpSettings.class, DhcpSettings.of(consoleDir.resolve("dhcp"), null)));
        // The RBD handlers read their template directory once, when they are made.
        String before = System.getProperty(TemplateImportSettings.ALLOWED_DIRECTORY);
        String beforeWork = System.getProperty(TemplateImportSettings.WORK_DIRECTORY);
        System.setProperty(TemplateImportSettings.ALLOWED_DIRECTORY, templateDir.toString());
        System.setProperty(TemplateImportSettings.WORK_DIRECTORY, dir.resolve("work").toString());
        try {
            return CommandHandlerRegistry.load(VmLifecycleIT.class.getClassLoader(), context);
        } finally {
            restore(TemplateImportSettings.ALLOWED_DIRECTORY, before);
            restore(TemplateImportSettings.WORK_DIRECTORY, beforeWork);
        }
    }

    /** Removes what the test made, each step tried even when an earlier one failed; the first failure is thrown. */
    @AfterEach
    void cleanUp() throws Exception {
        Cleanup cleanup = new Cleanup();
        cleanup.step(() -> destroyIfThere(domainName));
        cleanup.step(() -> {
            // A killed qemu's watch on its disks lasts until Ceph times it out (30 s): the dead client is fenced,
            // as an admin would, so that the test's images can be deleted now (an image not made is skipped).
            cluster.fenceDeadWatchers(pool.cephPool() + "/" + root, pool.cephPool() + "/" + data,
                    pool.cephPool() + "/" + blank);
            Deadline.await("the test's RBD images are deleted", Duration.ofSeconds(90), () -> {
                try (RadosSession session = rados.connect(cluster.adminPool())) {
                    RbdImages images = new RbdImages(session);
                    images.delete(data);
                    images.delete(blank);
                    images.delete(root);
                    images.delete(template);
                    return true;
                }
            });
        });
        cleanup.step(() -> new LibvirtRbdPools(libvirt).remove(pool.uuid()));
        cleanup.step(() -> new LibvirtCephSecrets(libvirt).undefine(pool.uuid()));
        cleanup.step(() -> {
            if (Files.exists(Path.of("/sys/class/net", bridge))) {
                assertEquals(0, Guests.run("ip", "link", "del", bridge), "ip link del " + bridge);
            }
        });
        cleanup.step(logs::close);
        cleanup.step(libvirt::close);
        cleanup.step(cluster::close);
        cleanup.rethrow();
    }

    /** Runs every step, keeping the first failure. */
    private static final class Cleanup {
        interface Step {
            void run() throws Exception;
        }

        private Exception first;

        void step(Step step) {
            try {
                step.run();
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = e instanceof Exception exception ? exception : new Exception(e);
                }
            }
        }

        void rethrow() throws Exception {
            if (first != null) {
                throw first;
            }
        }
    }

    private StartVmCommand startCommand() {
        return new StartVmCommand(vmUuid, domainName, 1, 1000, 192,
                List.of(new VmDisk(0, UUID.randomUUID().toString(), pool.uuid(), root, "ROOT")),
                List.of(new VmNic(0, "02:00:5e:" + suffix.substring(0, 2) + ":" + suffix.substring(2, 4) + ":"
                        + suffix.substring(4, 6), bridge, null, null, null, null)));
    }

    @Test
    void aGuestBootsFromItsRbdDiskSeesItsNicAndAHotPluggedDiskAndPowersOffOnRequest() throws Exception {
        StartVmCommand start = startCommand();
        String mac = start.nics().get(0).mac();
        long begin = System.nanoTime();
        VmStateAnswer started = (VmStateAnswer) agent.handle(start);
        assertTrue(started.success(), started.toString());
        assertEquals(VmPowerState.POWER_ON, started.state());
        assertEquals(facts.virtType(), started.domainType());
        Path console = Path.of(started.consoleLogPath());
        assertEquals(consoleDir.resolve(domainName + ".console.log"), console);
        awaitLine(console, 0, line -> line.contains("RBDSTACK-BOOTED"), BOOT_LIMIT);
        System.out.printf("vm.start to RBDSTACK-BOOTED (TCG: %s): %d ms%n", !"kvm".equals(started.domainType()),
                (System.nanoTime() - begin) / 1_000_000);
        String alive = awaitLine(console, 0, line -> line.startsWith("RBDSTACK-ALIVE"), Duration.ofSeconds(30));
        assertTrue(alive.contains("macs=" + mac + ","), "the guest sees its NIC's MAC: " + alive);
        assertTrue(alive.contains("disks=vda,"), alive);

        // The domain as libvirt runs it: its root disk on RBD through the pool's secret, and no key anywhere.
        String key = pool.cephKey().reveal();
        String live = new KvmDomains(libvirt, new OwnDomains(() -> hostUuid), Duration.ofMillis(250)).liveXml(domainName);
        assertTrue(live.contains("protocol='rbd' name='" + pool.cephPool() + "/" + root + "'"), live);
        assertTrue(live.contains("<secret type='ceph' uuid='" + LibvirtCephSecrets.secretUuid(pool.uuid()) + "'/>"), live);
        assertTrue(live.contains("<domain type='" + facts.virtType() + "'"), live);
        assertFalse(live.contains(key), "no key in the domain XML");
        assertFalse(Guests.qemuCommandLine(domainName).contains(key), "no key in QEMU's argv");
        assertFalse(live.contains("host-model") || live.contains("host-passthrough"), "QEMU's default CPU model");

        // A retried start leaves the running domain alone.
        VmStateAnswer again = (VmStateAnswer) agent.handle(start);
        assertTrue(again.success() && again.state() == VmPowerState.POWER_ON, again.toString());
        String otherVm = UUID.randomUUID().toString();
        VmStateAnswer clash = (VmStateAnswer) agent.handle(new StartVmCommand(otherVm, domainName, 1, 1000, 192,
                start.disks(), start.nics()));
        assertEquals("cannot start VM " + otherVm + ": the domain " + domainName + " on this host runs another VM ("
                + vmUuid + ")", clash.details());

        assertEquals(List.of(new VmStatesAnswer.VmReport(vmUuid, domainName, VmPowerState.POWER_ON)),
                states(agent), "this host's domains, with their power state");
        // Another agent on the same libvirtd neither lists nor stops this host's domain.
        CommandHandler other = agentFor(UUID.randomUUID().toString(), dir);
        assertTrue(states(other).stream().noneMatch(report -> report.instanceName().equals(domainName)));
        VmStateAnswer refused = (VmStateAnswer) other.handle(new StopVmCommand(vmUuid, domainName, 0, true));
        assertFalse(refused.success());
        assertTrue(refused.details().contains("is another host's"), refused.details());

        VmDisk dataDisk = new VmDisk(1, UUID.randomUUID().toString(), pool.uuid(), data, "DATADISK");
        long offset = Files.size(console);
        assertSucceeded(agent.handle(new AttachDiskCommand(vmUuid, domainName, dataDisk)));
        awaitLine(console, offset, line -> line.startsWith("RBDSTACK-ALIVE") && line.contains("disks=vda,vdb,"),
                Duration.ofSeconds(30));
        assertSucceeded(agent.handle(new AttachDiskCommand(vmUuid, domainName, dataDisk))); // a retry: no change

        long detachBegin = System.nanoTime();
        assertSucceeded(agent.handle(new DetachDiskCommand(vmUuid, domainName, dataDisk, 30_000)));
        System.out.printf("vm.detachDisk: %d ms%n", (System.nanoTime() - detachBegin) / 1_000_000);
        offset = Files.size(console);
        awaitLine(console, offset, line -> line.startsWith("RBDSTACK-ALIVE") && line.contains("disks=vda, "),
                Duration.ofSeconds(30));

        QuiesceAnswer quiesce = (QuiesceAnswer) agent.handle(new QuiesceVmCommand(vmUuid, domainName, true, 5_000));
        assertTrue(quiesce.success(), quiesce.toString());
        assertFalse(quiesce.guestAgentPresent());
        assertEquals("the guest has no qemu-guest-agent; the snapshot is crash-consistent", quiesce.details());

        long stopBegin = System.nanoTime();
        VmStateAnswer stopped = (VmStateAnswer) agent.handle(new StopVmCommand(vmUuid, domainName, 60, false));
        System.out.printf("vm.stop (ACPI power-off): %d ms%n", (System.nanoTime() - stopBegin) / 1_000_000);
        assertTrue(stopped.success(), stopped.toString());
        assertEquals(VmPowerState.POWER_OFF, stopped.state());
        assertFalse(stopped.forced(), "the guest's acpid powered it off");
        assertTrue(Files.readString(console).contains("RBDSTACK-POWEROFF"));
        assertFalse(domainExists(domainName), "a stopped VM leaves no domain");
        assertEquals(List.of(), states(agent));
        VmStateAnswer stoppedAgain = (VmStateAnswer) agent.handle(new StopVmCommand(vmUuid, domainName, 60, false));
        assertTrue(stoppedAgain.success() && !stoppedAgain.forced(), "a VM not there counts as stopped");

        List<String> lines = logs.lines();
        assertTrue(lines.stream().anyMatch(line -> line.contains("Started domain " + domainName)), "captured " + lines);
        for (String line : lines) {
            assertFalse(line.contains(key) || line.contains(key.substring(0, 20)), "a key in the log: " + line);
        }
    }

    @Test
    void aKilledQemuIsReportedGoneAndStopsAreForcedWhenAskedOrWhenTheGuestDoesNotAnswerAndRepeatedWhileItBoots() throws Exception {
        StartVmCommand start = startCommand();
        VmStateAnswer started = (VmStateAnswer) agent.handle(start);
        assertTrue(started.success(), started.toString());
        Path console = Path.of(started.consoleLogPath());
        awaitLine(console, 0, line -> line.contains("RBDSTACK-BOOTED"), BOOT_LIMIT);
        assertEquals(VmPowerState.POWER_ON, states(agent).get(0).state());

        long pid = Long.parseLong(Files.readString(Path.of("/run/libvirt/qemu/" + domainName + ".pid")).strip());
        Guests.run("kill", "-9", Long.toString(pid));
        Deadline.await("vm.states no longer lists the killed VM", Duration.ofSeconds(20),
                () -> states(agent).isEmpty());

        // Forced: destroyed at once.
        assertTrue(((VmStateAnswer) agent.handle(start)).success());
        awaitLine(console, 0, line -> line.contains("RBDSTACK-BOOTED"), BOOT_LIMIT);
        VmStateAnswer forced = (VmStateAnswer) agent.handle(new StopVmCommand(vmUuid, domainName, 60, true));
        assertTrue(forced.success() && forced.forced() && forced.state() == VmPowerState.POWER_OFF, forced.toString());
        assertFalse(domainExists(domainName));

        // A guest still in its firmware has no acpid to answer the power button: destroyed after the grace.
        assertTrue(((VmStateAnswer) agent.handle(start)).success());
        long stopBegin = System.nanoTime();
        VmStateAnswer graceOver = (VmStateAnswer) agent.handle(new StopVmCommand(vmUuid, domainName, 1, false));
        assertTrue(graceOver.success() && graceOver.forced(), graceOver.toString());
        assertTrue(System.nanoTime() - stopBegin >= Duration.ofSeconds(1).toNanos(), "the grace was given");
        assertFalse(domainExists(domainName));
        assertFalse(Files.readString(console).contains("RBDSTACK-BOOTED"), "the guest never booted this time");

        // A press while the guest boots is lost (no acpid yet); the button is pressed again until it answers.
        assertTrue(((VmStateAnswer) agent.handle(start)).success());
        stopBegin = System.nanoTime();
        VmStateAnswer pressedAgain = (VmStateAnswer) agent.handle(new StopVmCommand(vmUuid, domainName, 90, false));
        System.out.printf("vm.stop right after vm.start (the first press lost): %d ms%n",
                (System.nanoTime() - stopBegin) / 1_000_000);
        assertTrue(pressedAgain.success() && pressedAgain.state() == VmPowerState.POWER_OFF, pressedAgain.toString());
        assertFalse(pressedAgain.forced(), "a later press reached the booted guest's acpid");
        String seen = Files.readString(console);
        assertTrue(seen.indexOf("RBDSTACK-BOOTED") < seen.indexOf("RBDSTACK-POWEROFF")
                && seen.contains("RBDSTACK-BOOTED"), "powered off by acpid after it booted: " + seen);
        assertTrue(logs.lines().stream().anyMatch(line -> line.contains("pressed again")), "the repeat is logged");
        assertFalse(domainExists(domainName));
    }

    @Test
    void aGuestThatNeverReleasesADiskFailsTheDetachSayingSo() throws Exception {
        // Booting from a blank disk, the guest stays in its firmware, which does not answer ACPI unplugs.
        assertSucceeded(agent.handle(new CreateRbdImageCommand(pool, blank, 16 * MIB)));
        StartVmCommand start = new StartVmCommand(vmUuid, domainName, 1, 1000, 128,
                List.of(new VmDisk(0, UUID.randomUUID().toString(), pool.uuid(), blank, "ROOT")), List.of());
        assertTrue(((VmStateAnswer) agent.handle(start)).success());
        VmDisk dataDisk = new VmDisk(2, UUID.randomUUID().toString(), pool.uuid(), data, "DATADISK");
        assertSucceeded(agent.handle(new AttachDiskCommand(vmUuid, domainName, dataDisk)));

        Answer detach = agent.handle(new DetachDiskCommand(vmUuid, domainName, dataDisk, 1_000));
        assertFalse(detach.success());
        assertEquals("cannot detach volume " + dataDisk.volumeUuid() + " from VM " + vmUuid + ": the guest did not"
                + " release the disk vdc (volume " + dataDisk.volumeUuid() + ") within 1000 ms", detach.details());
        assertTrue(DiskHotplug.hasTarget(new KvmDomains(libvirt, new OwnDomains(() -> hostUuid), Duration.ofMillis(250))
                .liveXml(domainName), "vdc"), "the disk is still there");
        assertTrue(((VmStateAnswer) agent.handle(new StopVmCommand(vmUuid, domainName, 0, false))).forced());
    }

    @Test
    void onAKvmHostTheDomainRunsUnderKvm() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/kvm")) && "kvm".equals(facts.virtType()),
                "this host has no KVM (libvirt offers only type='qemu'); the other tests assert type='qemu'");
        VmStateAnswer started = (VmStateAnswer) agent.handle(startCommand());
        assertTrue(started.success(), started.toString());
        assertEquals("kvm", started.domainType());
        assertTrue(new KvmDomains(libvirt, new OwnDomains(() -> hostUuid), Duration.ofMillis(250)).liveXml(domainName)
                .contains("<domain type='kvm'"));
        assertSucceeded(agent.handle(new StopVmCommand(vmUuid, domainName, 0, true)));
    }

    @Test
    void withoutKvmTheHostReportsAndUsesQemu() throws Exception {
        assumeTrue(!Files.exists(Path.of("/dev/kvm")), "this host has KVM: see onAKvmHostTheDomainRunsUnderKvm");
        assertEquals("qemu", facts.virtType());
        assertEquals("qemu", facts.collect().virtType());
    }

    private static List<VmStatesAnswer.VmReport> states(CommandHandler handler) {
        VmStatesAnswer answer = (VmStatesAnswer) handler.handle(new VmStatesCommand());
        assertTrue(answer.success(), answer.toString());
        return answer.vms();
    }

    private static void assertSucceeded(Answer answer) {
        assertTrue(answer.success(), answer.toString());
    }

    private static String awaitLine(Path log, long offset, Predicate<String> wanted, Duration limit) {
        return Guests.awaitLine(log, offset, wanted, limit);
    }

    private boolean domainExists(String name) throws Exception {
        return Guests.domainExists(libvirt, name);
    }

    private void destroyIfThere(String name) throws Exception {
        libvirt.call(connect -> {
            try {
                connect.domainLookupByName(name).destroy();
            } catch (org.libvirt.LibvirtException e) {
                if (!LibvirtErrors.isNoDomain(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
