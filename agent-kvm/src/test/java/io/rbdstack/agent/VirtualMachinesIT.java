package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ceph.rados.IoCTX;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.Guests;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.ServedBytes;
import io.rbdstack.agent.fixtures.TestTemplate;
import io.rbdstack.agent.libvirt.HostFacts;
import io.rbdstack.agent.libvirt.LibvirtCephSecrets;
import io.rbdstack.agent.libvirt.LibvirtConnection;
import io.rbdstack.agent.vm.DomainOwner;
import io.rbdstack.server.ApiClient;
import io.rbdstack.testing.CephKeyring;
import io.rbdstack.testing.RealServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's "Done when", end to end through the API: the real management server, this machine's
 * real agent(s), libvirtd and Ceph. One VM is deployed, booted and taken through its lifecycle by
 * the ordered tests (so the class boots a handful of guests, not one per test); the guest (the test
 * template) tells over its serial console what it sees: RBDSTACK-BOOTED, then
 * {@code RBDSTACK-ALIVE … disks=… macs=…} every 2 s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualMachinesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOOT_LIMIT = Duration.ofSeconds(120);
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 6);

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static ServedBytes http;
    static LibvirtConnection libvirt;
    static CephKeyring.CephUser cephUser;
    static String poolUuid;
    static String template;
    static String offering;
    static String diskOffering;
    static String network;
    static final String BRIDGE = "rbst" + SUFFIX;
    static Set<String> secretsBefore;
    /** The VM the ordered tests share: deployed and booted by {@link #aDeployWithStartBootsTheGuest()}. */
    static String vm;

    @BeforeAll
    static void start() throws Exception {
        RealServices services = RealServices.load();
        TestTemplate image = TestTemplate.get(services);
        libvirt = LibvirtConnection.to(services.libvirtUri());
        secretsBefore = secrets();
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        cephUser = cloud.ceph.limitedUser();
        poolUuid = cloud.createdRbdPool("vm-e2e", cephUser, "zone").get("id").asText();
        byte[] bytes = Files.readAllBytes(image.file());
        http = new ServedBytes("/guest.raw", bytes);
        template = ok(admin.call("registerTemplate", "name", "guest", "url", http.url(), "zoneid", cloud.zoneId,
                "format", "RAW", "hypervisor", "KVM", "ispublic", "true", "checksum", "{SHA-256}" + image.sha256()), "registerTemplate")
                .get("template").get(0).get("id").asText();
        Deadline.await("template imported", Duration.ofSeconds(120), () -> list(admin, "listTemplates", "template",
                "templatefilter", "all", "id", template).get(0).get("isready").asBoolean());
        offering = ok(admin.call("createServiceOffering", "name", "tiny", "cpunumber", "1", "cpuspeed", "500",
                "memory", "192"), "createServiceOffering").get("serviceoffering").get("id").asText();
        diskOffering = ok(admin.call("createDiskOffering", "name", "data", "disksize", "1"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
        String networkOffering = list(admin, "listNetworkOfferings", "networkoffering").get(0).get("id").asText();
        network = ok(admin.call("createNetwork", "name", "guests", "displaytext", "guests", "networkofferingid",
                networkOffering, "zoneid", cloud.zoneId, "gateway", "10.212.0.1", "netmask", "255.255.255.0",
                "startip", "10.212.0.10", "endip", "10.212.0.50", "bridge", BRIDGE), "createNetwork")
                .get("network").get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (http != null) {
                http.close();
            }
            if (cloud != null) {
                try {
                    // The VMs first: the template's base image cannot go while clones of it exist.
                    for (JsonNode left : list(admin, "listVirtualMachines", "virtualmachine", "listall", "true")) {
                        awaitOk(admin, admin.call("destroyVirtualMachine", "id", left.get("id").asText(), "expunge",
                                "true"), "destroyVirtualMachine");
                    }
                    if (template != null) {
                        admin.awaitJob(ok(admin.call("deleteTemplate", "id", template), "deleteTemplate").get("jobid")
                                .asText());
                    }
                } finally {
                    cloud.close();
                }
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Guests.run("ip", "link", "del", BRIDGE);
            }
            if (libvirt != null) {
                libvirt.close();
            }
        }
    }

    @Test
    @Order(1)
    void aDeployWithoutStartClonesTheRootVolumeAndAllocatesTheNic() throws Exception {
        JsonNode stopped = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId,
                "serviceofferingid", offering, "templateid", template, "name", "e2e-stopped", "startvm", "false",
                "networkids", network), "deployVirtualMachine").get("virtualmachine");
        assertEquals("Stopped", stopped.get("state").asText());
        assertFalse(stopped.has("hostid"), "a VM never started has no host: " + stopped);
        JsonNode nic = stopped.get("nic").get(0);
        assertEquals(network, nic.get("networkid").asText());
        assertTrue(nic.get("macaddress").asText().startsWith("02:"), nic.toString());
        assertEquals("10.212.0.10", nic.get("ipaddress").asText(), "the range's lowest free address");
        JsonNode root = rootVolume(stopped.get("id").asText());
        JsonNode info = JSON.readTree(cloud.cluster.cli("rbd", "info", "--format", "json",
                cloud.ceph.pool() + "/" + root.get("path").asText()));
        assertEquals("tmpl-" + template, info.get("parent").get("image").asText(), info.toString());
        assertFalse(domainExists(stopped.get("instancename").asText()), "nothing runs for a Stopped VM");
    }

    @Test
    @Order(2)
    void aDeployWithStartBootsTheGuest() throws Exception {
        long begin = System.nanoTime();
        JsonNode running = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId,
                "serviceofferingid", offering, "templateid", template, "name", "e2e-main", "networkids", network),
                "deployVirtualMachine").get("virtualmachine");
        long deployed = System.nanoTime();
        vm = running.get("id").asText();
        assertEquals("Running", running.get("state").asText());
        assertEquals(cloud.hostId, running.get("hostid").asText());
        awaitLine(console(running), line -> line.contains("RBDSTACK-BOOTED"), BOOT_LIMIT);
        System.out.printf("FIGURE deployVirtualMachine (clone, define, start) through the API: %d ms; to"
                + " RBDSTACK-BOOTED: %d ms%n", (deployed - begin) / 1_000_000, (System.nanoTime() - begin) / 1_000_000);
        assertTrue(Files.exists(Path.of("/sys/class/net", BRIDGE)), "the agent made the network's bridge " + BRIDGE);
    }

    @Test
    @Order(3)
    void theDomainRunsFromRbdThroughThePoolsSecretWithNoKeyAndTheGuestSeesItsMac() throws Exception {
        JsonNode running = vm(vm);
        String instance = running.get("instancename").asText();
        String root = rootVolume(vm).get("path").asText();
        String xml = liveXml(instance);
        String key = cephUser.key();
        assertTrue(xml.contains("protocol='rbd' name='" + cloud.ceph.pool() + "/" + root + "'"), xml);
        assertTrue(xml.contains("<secret type='ceph' uuid='" + LibvirtCephSecrets.secretUuid(poolUuid) + "'/>"), xml);
        String virtType = new HostFacts(libvirt).virtType();
        assertTrue(xml.contains("<domain type='" + virtType + "'"), "type " + virtType + ": " + xml);
        String forced = System.getProperty(HostFacts.DOMAIN_TYPE_PROPERTY, "").strip(); // the ITs': qemu
        assertEquals(!forced.isEmpty() ? forced : Files.exists(Path.of("/dev/kvm")) ? "kvm" : "qemu", virtType,
                "as forced, else kvm where the host offers it, else qemu (TCG)");
        assertEquals(new DomainOwner(cloud.hostId, vm), DomainOwner.of(xml).orElseThrow(),
                "the domain is tagged with its host and VM");
        assertFalse(xml.contains(key), "no key in the domain XML");
        assertFalse(Guests.qemuCommandLine(instance).contains(key), "no key in QEMU's argv");

        String mac = running.get("nic").get(0).get("macaddress").asText();
        String alive = awaitLine(console(running), line -> line.startsWith("RBDSTACK-ALIVE"), Duration.ofSeconds(30));
        assertTrue(alive.contains("macs=" + mac + ","), "the guest sees listVirtualMachines' MAC " + mac + ": " + alive);
        assertTrue(alive.contains("disks=vda,"), alive);
    }

    @Test
    @Order(4)
    void aDataDiskIsHotPluggedAndUnpluggedWhileTheVmRuns() throws Exception {
        JsonNode running = vm(vm);
        String volume = awaitOk(admin, admin.call("createVolume", "name", "e2e-data", "zoneid", cloud.zoneId,
                "diskofferingid", diskOffering), "createVolume").get("volume").get("id").asText();
        JsonNode attached = awaitOk(admin, admin.call("attachVolume", "id", volume, "virtualmachineid", vm),
                "attachVolume").get("volume");
        assertEquals(vm, attached.get("virtualmachineid").asText());
        JsonNode listed = list(admin, "listVolumes", "volume", "id", volume).get(0);
        assertEquals(vm, listed.get("virtualmachineid").asText());
        assertEquals("e2e-main", listed.get("vmname").asText());
        assertEquals("Running", listed.get("vmstate").asText());
        assertEquals(1, listed.get("deviceid").asInt());
        awaitLine(console(running), line -> line.startsWith("RBDSTACK-ALIVE") && line.contains("disks=vda,vdb,"),
                Duration.ofSeconds(30));

        long begin = System.nanoTime();
        JsonNode detached = awaitOk(admin, admin.call("detachVolume", "id", volume), "detachVolume").get("volume");
        System.out.printf("FIGURE detachVolume of a running VM's disk through the API: %d ms%n",
                (System.nanoTime() - begin) / 1_000_000);
        assertFalse(detached.has("virtualmachineid"), detached.toString());
        long offset = Files.size(console(running));
        awaitLine(console(running), offset, line -> line.startsWith("RBDSTACK-ALIVE") && line.contains("disks=vda, "),
                Duration.ofSeconds(30));
        ok(admin.call("deleteVolume", "id", volume), "deleteVolume");
    }

    @Test
    @Order(5)
    void aRunningVmsRootVolumeIsSnapshottedCrashConsistentlyAlsoWithQuiescevmAndCannotBeRevertedWhileItRuns() throws Exception {
        String root = rootVolume(vm).get("id").asText();
        JsonNode snapshot = awaitOk(admin, admin.call("createSnapshot", "volumeid", root), "createSnapshot")
                .get("snapshot");
        assertEquals("CreatedOnPrimary", snapshot.get("state").asText(), snapshot.toString());
        assertTrue(snapshot.get("name").asText().matches("e2e-main_ROOT-\\d+_\\d{14}"),
                "named <vm>_<volume>_<time> as CloudStack names it: " + snapshot);

        // The test guest has no qemu-guest-agent: the snapshot is taken all the same, and an event says it is
        // crash-consistent.
        JsonNode crash = awaitOk(admin, admin.call("createSnapshot", "volumeid", root, "quiescevm", "true"),
                "createSnapshot").get("snapshot");
        assertEquals("CreatedOnPrimary", crash.get("state").asText(), crash.toString());
        assertTrue(list(admin, "listEvents", "event", "type", "SNAPSHOT.CREATE", "keyword", crash.get("name").asText())
                .stream().anyMatch(e -> e.get("description").asText().contains("the guest has no qemu-guest-agent;"
                        + " the snapshot is crash-consistent")), "an event says the snapshot is crash-consistent");

        ApiClient.Reply revert = admin.call("revertSnapshot", "id", snapshot.get("id").asText());
        assertEquals(431, revert.status(), revert.body());
        assertTrue(revert.body().contains("Running"), "names the VM's state: " + revert.body());
    }

    @Test
    @Order(6)
    void aStoppedVmsRootVolumeRevertsAndTheVmStartsAndRebootsAgain() throws Exception {
        long begin = System.nanoTime();
        JsonNode stopped = awaitOk(admin, admin.call("stopVirtualMachine", "id", vm), "stopVirtualMachine")
                .get("virtualmachine");
        System.out.printf("FIGURE stopVirtualMachine (ACPI power-off) through the API: %d ms%n",
                (System.nanoTime() - begin) / 1_000_000);
        assertEquals("Stopped", stopped.get("state").asText());
        String instance = stopped.get("instancename").asText();
        assertFalse(domainExists(instance), "a stopped VM leaves no domain");

        JsonNode root = rootVolume(vm);
        String image = root.get("path").asText();
        IoCTX io = cloud.cephAdmin().ioCtx();
        String before = RbdData.sha256(io, image, null);
        String snapshot = awaitOk(admin, admin.call("createSnapshot", "volumeid", root.get("id").asText()),
                "createSnapshot").get("snapshot").get("id").asText();
        RbdData.write(io, image, root.get("size").asLong() - (64 << 10), RbdData.bytes(64 << 10, 7));
        assertNotEquals(before, RbdData.sha256(io, image, null), "the marker is written");
        awaitOk(admin, admin.call("revertSnapshot", "id", snapshot), "revertSnapshot");
        assertEquals(before, RbdData.sha256(io, image, null), "the root volume's content is the snapshot's again");

        JsonNode started = awaitOk(admin, admin.call("startVirtualMachine", "id", vm), "startVirtualMachine")
                .get("virtualmachine");
        assertEquals("Running", started.get("state").asText());
        awaitLine(console(started), line -> line.contains("RBDSTACK-BOOTED"), BOOT_LIMIT);

        JsonNode rebooted = awaitOk(admin, admin.call("rebootVirtualMachine", "id", vm), "rebootVirtualMachine")
                .get("virtualmachine");
        assertEquals("Running", rebooted.get("state").asText());
        assertEquals(cloud.hostId, rebooted.get("hostid").asText(), "a reboot stays on its host");
        awaitLine(console(rebooted), line -> line.contains("RBDSTACK-BOOTED"), BOOT_LIMIT);
        assertTrue(list(admin, "listEvents", "event", "type", "VM.REBOOT").stream()
                .anyMatch(e -> e.toString().contains(vm)), "a VM.REBOOT event");
    }

    @Test
    @Order(7)
    void anExpungedVmLeavesNoImageNoDomainAndNoSecret() throws Exception {
        JsonNode running = vm(vm);
        String instance = running.get("instancename").asText();
        String root = rootVolume(vm).get("path").asText();
        for (JsonNode snapshot : list(admin, "listSnapshots", "snapshot", "volumeid", rootVolume(vm).get("id").asText())) {
            awaitOk(admin, admin.call("deleteSnapshot", "id", snapshot.get("id").asText()), "deleteSnapshot");
        }
        for (JsonNode snapshot : list(admin, "listSnapshots", "snapshot", "listall", "true")) {
            assertNotEquals(rootVolume(vm).get("id").asText(), snapshot.get("volumeid").asText(), snapshot.toString());
        }
        assertEquals("Expunged", awaitOk(admin, admin.call("destroyVirtualMachine", "id", vm, "expunge", "true"),
                "destroyVirtualMachine").get("virtualmachine").get("state").asText());
        assertFalse(cloud.cluster.cli("rbd", "ls", "--pool", cloud.ceph.pool()).contains(root), "no root image");
        assertFalse(cloud.cluster.cli("rbd", "trash", "ls", "--long", "--pool", cloud.ceph.pool()).contains(root),
                "nor in the trash");
        assertFalse(domainExists(instance), "no domain");
        Set<String> added = new HashSet<>(secrets());
        added.removeAll(secretsBefore);
        // Other tests may share this libvirtd: only the pool's own secret is this test's.
        added.remove(LibvirtCephSecrets.secretUuid(poolUuid));
        for (String secret : added) {
            String usage = secretXml(secret);
            assertFalse(usage.contains(vm) || usage.contains(instance), "a secret left for the VM: " + usage);
        }
    }

    @Test
    @Order(8)
    void twoHostsEachRunTheirOwnVmAndAKilledQemuShowsStoppedWithinTheSyncBound() throws Exception {
        ok(admin.call("updateConfiguration", "name", "vm.sync.interval", "value", "2"), "updateConfiguration");
        try (OneHostCloud.JoinedHost second = cloud.addHost("rbst-h2-" + SUFFIX, dir.resolve("h2"))) {
            JsonNode first = deployRunning("e2e-a");
            JsonNode other = deployRunning("e2e-b");
            assertNotEquals(first.get("hostid").asText(), other.get("hostid").asText(),
                    "the second VM goes to the host with more free memory");
            assertEquals(Set.of(cloud.hostId, second.hostId), Set.of(first.get("hostid").asText(),
                    other.get("hostid").asText()));
            for (JsonNode each : List.of(first, other)) {
                String xml = liveXml(each.get("instancename").asText());
                assertEquals(new DomainOwner(each.get("hostid").asText(), each.get("id").asText()),
                        DomainOwner.of(xml).orElseThrow(), "started by its own host's agent");
                Path log = (each.get("hostid").asText().equals(cloud.hostId) ? OneHostCloud.consoleLogDir(dir)
                        : OneHostCloud.consoleLogDir(dir.resolve("h2"))).resolve(each.get("instancename").asText()
                        + ".console.log");
                awaitLine(log, 0, line -> line.contains("RBDSTACK-BOOTED"), BOOT_LIMIT);
            }

            String instance = first.get("instancename").asText();
            long pid = Long.parseLong(Files.readString(Path.of("/run/libvirt/qemu/" + instance + ".pid")).strip());
            long killed = System.nanoTime();
            assertEquals(0, Guests.run("kill", "-9", Long.toString(pid)));
            Deadline.await("the killed VM is Stopped", Duration.ofSeconds(2 + 1 + 5),
                    () -> vm(first.get("id").asText()).get("state").asText().equals("Stopped"));
            System.out.printf("FIGURE kill -9 of qemu to Stopped in listVirtualMachines (vm.sync.interval=2): %d ms%n",
                    (System.nanoTime() - killed) / 1_000_000);
            assertEquals("Running", vm(other.get("id").asText()).get("state").asText(), "the other host's VM runs on");
            // The sync records the state first, then its alert and event (CI once listed the events in between).
            Deadline.await("a VM.STOP event of the sync", Duration.ofSeconds(5), () -> list(admin, "listEvents",
                    "event", "type", "VM.STOP").stream().anyMatch(e -> e.get("description").asText()
                    .contains("state sync")));
            assertTrue(list(admin, "listAlerts", "alert").stream().anyMatch(a -> a.get("type").asInt() == 27
                    && a.get("description").asText().contains(first.get("name").asText())
                    || a.get("type").asInt() == 27 && a.get("description").asText().contains(instance)),
                    "an ALERT.TYPE.SYNC alert");

            awaitOk(admin, admin.call("destroyVirtualMachine", "id", other.get("id").asText(), "expunge", "true"),
                    "destroyVirtualMachine");
            // The killed qemu's watch on its image lasts until Ceph times it out (about 30 s): the expunge does not
            // wait for it. The VM is Expunged at once and the storage cleanup deletes the image when Ceph lets go,
            // here once the test has fenced the dead client as an admin would (not 30 s later).
            ok(admin.call("updateConfiguration", "name", "storage.cleanup.interval", "value", "1"),
                    "updateConfiguration");
            JsonNode root = rootVolume(first.get("id").asText());
            String image = root.get("path").asText();
            long expunging = System.nanoTime();
            assertEquals("Expunged", awaitOk(admin, admin.call("destroyVirtualMachine", "id", first.get("id").asText(),
                    "expunge", "true"), "destroyVirtualMachine").get("virtualmachine").get("state").asText());
            System.out.printf("FIGURE destroyVirtualMachine expunge=true of the killed VM: %d ms%n",
                    (System.nanoTime() - expunging) / 1_000_000);
            assertTrue(list(admin, "listVirtualMachines", "virtualmachine", "id", first.get("id").asText()).isEmpty());
            assertTrue(list(admin, "listVolumes", "volume", "id", root.get("id").asText()).isEmpty(),
                    "the root volume is deleted for the API at once");
            assertEquals(1, cloud.cluster.fenceDeadWatchers(cloud.ceph.pool() + "/" + image).size(),
                    "the killed qemu's watch was still there, and fenced");
            Deadline.await("the killed VM's image deleted once Ceph lets go", Duration.ofSeconds(30 + 30), () -> !cloud
                    .cluster.cli("rbd", "ls", "--pool", cloud.ceph.pool()).contains(image) && !cloud.cluster.cli("rbd",
                    "trash", "ls", "--pool", cloud.ceph.pool()).contains(image));
            System.out.printf("FIGURE kill -9 of qemu to its expunged VM's image deleted (dead client fenced): %d ms%n",
                    (System.nanoTime() - killed) / 1_000_000);
            List<String> said = list(admin, "listEvents", "event", "type", "VOLUME.DELETE", "keyword", root.get("name")
                    .asText()).stream().map(e -> e.get("description").asText()).toList();
            assertTrue(said.stream().anyMatch(d -> d.contains("still open by a client") && d.contains("the storage"
                    + " cleanup deletes it once Ceph lets go")), "an event says when it is deleted: " + said);
            assertTrue(said.stream().anyMatch(d -> d.contains("is deleted from pool") && d.contains("now that no"
                    + " client has it open")), "and one says it is: " + said);
        }
    }

    private static JsonNode deployRunning(String name) throws Exception {
        JsonNode deployed = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId,
                "serviceofferingid", offering, "templateid", template, "name", name, "networkids", network),
                "deployVirtualMachine").get("virtualmachine");
        assertEquals("Running", deployed.get("state").asText());
        return deployed;
    }

    private static JsonNode vm(String id) throws Exception {
        return list(admin, "listVirtualMachines", "virtualmachine", "id", id).get(0);
    }

    private static JsonNode rootVolume(String vmId) throws Exception {
        List<JsonNode> roots = list(admin, "listVolumes", "volume", "listall", "true", "type", "ROOT",
                "virtualmachineid", vmId);
        assertEquals(1, roots.size(), "one root volume, of that VM: " + roots);
        return roots.get(0);
    }

    /** The first host's console log of a VM (the ordered tests' VMs run there). */
    private static Path console(JsonNode vm) {
        return OneHostCloud.consoleLogDir(dir).resolve(vm.get("instancename").asText() + ".console.log");
    }

    private static String awaitLine(Path log, Predicate<String> wanted, Duration limit) {
        return awaitLine(log, 0, wanted, limit);
    }

    private static String awaitLine(Path log, long offset, Predicate<String> wanted, Duration limit) {
        return Guests.awaitLine(log, offset, wanted, limit);
    }

    private static String liveXml(String name) throws Exception {
        return libvirt.call(connect -> connect.domainLookupByName(name).getXMLDesc(0));
    }

    private static boolean domainExists(String name) throws Exception {
        return Guests.domainExists(libvirt, name);
    }

    private static Set<String> secrets() throws Exception {
        return libvirt.call(connect -> new HashSet<>(Arrays.asList(connect.listSecrets())));
    }

    private static String secretXml(String uuid) throws Exception {
        return libvirt.call(connect -> connect.secretLookupByUUIDString(uuid).getXMLDesc());
    }
}
