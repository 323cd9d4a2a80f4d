package io.rbdstack.server.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.server.ApiClient;
import io.rbdstack.server.TestDatabase;
import io.rbdstack.server.TestServer;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.network.DbGuestNics;
import io.rbdstack.server.network.GuestNics;
import io.rbdstack.server.network.NetworkRepository;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.spi.agent.dhcp.ApplyDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.DhcpLifetimes;
import io.rbdstack.spi.agent.dhcp.DhcpPdPool;
import io.rbdstack.spi.agent.dhcp.DhcpReservation;
import io.rbdstack.spi.agent.dhcp.RemoveDhcpNetworkCommand;
import io.rbdstack.spi.agent.dhcp.ServeDhcpNetworksCommand;
import io.rbdstack.spi.agent.vm.AttachDiskCommand;
import io.rbdstack.spi.agent.vm.DetachDiskCommand;
import io.rbdstack.spi.agent.vm.PlugNicCommand;
import io.rbdstack.spi.agent.vm.StartVmCommand;
import io.rbdstack.spi.agent.vm.StopVmCommand;
import io.rbdstack.spi.agent.vm.UnplugNicCommand;
import io.rbdstack.spi.net.Eui64;
import io.rbdstack.spi.net.Ipv6Cidr;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's VM orchestration on the real DB against two protocol-level fake hypervisor agents
 * ({@link FakeHypervisorAgent}: what is sent and how answers are recorded, no boots). The VMs'
 * root volumes are staged rows on a staged pool: the storage side (the RBD clone of the template,
 * its deletion at expunge) is tested against real Ceph by agent-kvm's VmStorageIT.
 */
class VmOrchestrationIT {

    private static final long GIB = 1L << 30;

    @TempDir
    static Path dir;
    static TestDatabase db;
    static TestServer server;
    static ApiClient admin;
    static FakeHypervisorAgent small;
    static FakeHypervisorAgent large;
    static String zone;
    static String smallHost;
    static String largeHost;
    static String offering;
    static String bigOffering;
    static String template;

    @BeforeAll
    static void start() throws Exception {
        db = new TestDatabase();
        Path config = TestServer.prepareConfig(dir.resolve("conf"), "agent.heartbeat.seconds=1",
                "plugin.dir=" + JournaledStorageFactory.writePluginJar(dir.resolve("plugins")));
        db.writeDbProperties(config, "serverTimezone=UTC");
        // The fake agents speak plain TCP: turned on as an admin would, then a restart.
        try (TestServer first = new TestServer(config)) {
            ok(first.admin.call("updateConfiguration", "name", "agent.plaintext.allowed", "value", "true"),
                    "updateConfiguration");
            ok(first.admin.call("updateConfiguration", "name", "vm.sync.interval", "value", "1"), "updateConfiguration");
            ok(first.admin.call("updateConfiguration", "name", "vm.stop.timeout.seconds", "value", "7"),
                    "updateConfiguration");
        }
        server = new TestServer(config);
        admin = server.admin;
        zone = ok(admin.call("createZone", "name", "vz", "dns1", "8.8.8.8", "internaldns1", "10.0.0.2",
                "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        String pod = ok(admin.call("createPod", "name", "vp", "zoneid", zone, "gateway", "10.0.0.1", "netmask",
                "255.255.255.0"), "createPod").get("pod").get("id").asText();
        String cluster = ok(admin.call("addCluster", "clustername", "vc", "clustertype", "CloudManaged", "hypervisor",
                "KVM", "zoneid", zone, "podid", pod), "addCluster").get("cluster").get(0).get("id").asText();
        JsonNode a = ok(admin.call("addHost", "zoneid", zone, "podid", pod, "clusterid", cluster, "url",
                "http://kvm-small", "hypervisor", "KVM"), "addHost").get("host").get(0);
        JsonNode b = ok(admin.call("addHost", "zoneid", zone, "podid", pod, "clusterid", cluster, "url",
                "http://kvm-large", "hypervisor", "KVM"), "addHost").get("host").get(0);
        smallHost = a.get("id").asText();
        largeHost = b.get("id").asText();
        small = new FakeHypervisorAgent(server.server.agentPort(), a.get("agenttoken").asText(), "kvm-small", 8 * GIB);
        large = new FakeHypervisorAgent(server.server.agentPort(), b.get("agenttoken").asText(), "kvm-large", 16 * GIB);
        await("both hosts Up", () -> hostState(smallHost).equals("Up") && hostState(largeHost).equals("Up"));
        offering = ok(admin.call("createServiceOffering", "name", "tiny", "cpunumber", "1", "cpuspeed", "500",
                "memory", "512"), "createServiceOffering").get("serviceoffering").get("id").asText();
        bigOffering = ok(admin.call("createServiceOffering", "name", "big", "cpunumber", "1", "cpuspeed", "500",
                "memory", "6144"), "createServiceOffering").get("serviceoffering").get("id").asText();
        template = UUID.randomUUID().toString();
        sql("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                + " host_address, path, status, created) SELECT UUID(), 'staged-pool', 'RBD', 'ZONE', id, 'RBD', 'mon',"
                + " 'rbd', 'Up', UTC_TIMESTAMP() FROM data_center WHERE uuid = ?", zone);
        // A pool of the journaled test plugin: its snapshots are written where the fake agents write vm.quiesce.
        sql("INSERT INTO storage_pool (uuid, name, pool_type, scope, data_center_id, storage_provider_name,"
                + " host_address, path, status, created) SELECT UUID(), 'journaled-pool', ?, 'ZONE', id, ?, 'mon',"
                + " 'rbd', 'Up', UTC_TIMESTAMP() FROM data_center WHERE uuid = ?", JournaledStorageFactory.NAME,
                JournaledStorageFactory.NAME, zone);
        sql("INSERT INTO storage_pool_host_ref (pool_id, host_id, created) SELECT p.id, h.id, UTC_TIMESTAMP()"
                + " FROM storage_pool p, host h WHERE p.name IN ('staged-pool', 'journaled-pool') AND h.removed IS NULL");
        sql("INSERT INTO vm_template (uuid, name, url, format, account_id, domain_id, state, size, created)"
                + " VALUES (?, 'tmpl', 'http://t/t.raw', 'RAW', 1, 1, 'Ready', 1073741824, UTC_TIMESTAMP())", template);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {small, large, server, db}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void startPlacesTheVmWithItsDisksAndAStartOfARunningVmIsRefusedWithCloudStacksText() throws Exception {
        String vm = stageVm("web-1", offering, 1);
        JsonNode started = awaitOk(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine")
                .get("virtualmachine");
        assertEquals("Running", started.get("state").asText());
        assertEquals(largeHost, started.get("hostid").asText(), "16 GiB free beats 8");
        assertEquals("kvm-large", started.get("hostname").asText());
        StartVmCommand sent = large.received(StartVmCommand.class).stream().filter(c -> c.vmUuid().equals(vm))
                .findFirst().orElseThrow();
        assertTrue(sent.instanceName().matches("i-1-\\d+-VM"), sent.instanceName());
        assertEquals(512, sent.memoryMiB());
        assertEquals(1, sent.cpus());
        assertEquals(1, sent.disks().size());
        assertEquals(0, sent.disks().get(0).deviceId());
        assertEquals("ROOT", sent.disks().get(0).type());

        JsonNode listed = admin.call("listVirtualMachines", "id", vm).response("listVirtualMachines")
                .get("virtualmachine").get(0);
        assertEquals(sent.instanceName(), listed.get("instancename").asText(), "root admins see the instance name");
        assertEquals("tiny", listed.get("serviceofferingname").asText());
        assertEquals(template, listed.get("templateid").asText());
        assertEquals(512, listed.get("memory").asInt());
        assertEquals("KVM", listed.get("hypervisor").asText());
        assertEquals(0, listed.get("nic").size());

        ApiClient.Reply again = admin.call("startVirtualMachine", "id", vm);
        assertEquals(431, again.status(), again.body());
        assertEquals("The virtual machine " + vm + " (web-1) is already running",
                again.response("startVirtualMachine").get("errortext").asText());
    }

    @Test
    void largeVmsGoWhereTheMostMemoryIsFreeUntilNoHostIsLeft() throws Exception {
        // From empty hosts (8 and 16 GiB), 6 GiB VMs: large (16 free), large (10 vs 8), small (8 vs 4), none.
        for (JsonNode running : admin.call("listVirtualMachines", "state", "Running", "listall", "true")
                .response("listVirtualMachines").path("virtualmachine")) {
            awaitOk(admin.call("stopVirtualMachine", "id", running.get("id").asText(), "forced", "true"),
                    "stopVirtualMachine");
        }
        String[] vms = {stageVm("big-1", bigOffering, 1), stageVm("big-2", bigOffering, 1),
            stageVm("big-3", bigOffering, 1), stageVm("big-4", bigOffering, 1)};
        try {
            String[] expected = {largeHost, largeHost, smallHost};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], awaitOk(admin.call("startVirtualMachine", "id", vms[i]),
                        "startVirtualMachine").get("virtualmachine").get("hostid").asText(), "big-" + (i + 1));
            }
            JsonNode failed = awaitJob(admin.call("startVirtualMachine", "id", vms[3]), "startVirtualMachine");
            assertEquals(2, failed.get("jobstatus").asInt(), failed.toString());
            assertEquals(533, failed.get("jobresult").get("errorcode").asInt());
            String text = failed.get("jobresult").get("errortext").asText();
            assertTrue(text.startsWith("Unable to create a deployment for VM big-4: no host can run it: ")
                    && text.contains("host kvm-small has 2048 MiB of memory free, the VM needs 6144 MiB")
                    && text.contains("host kvm-large has 4096 MiB of memory free, the VM needs 6144 MiB"), text);
            assertEquals("Stopped", vmField(vms[3], "state"));
        } finally {
            for (int i = 0; i < 3; i++) {
                awaitOk(admin.call("stopVirtualMachine", "id", vms[i], "forced", "true"), "stopVirtualMachine");
            }
        }
    }

    @Test
    void aHostWhoseAgentIsStoppingIsNotChosenForAStartUntilItsAgentConnectsAgain() throws Exception {
        JsonNode host = addStagedHost("kvm-stopping");
        String stoppingHost = host.get("id").asText();
        String vm = stageVm("stop-aside", offering, 1);
        try {
            try (FakeHypervisorAgent stopping = new FakeHypervisorAgent(server.server.agentPort(),
                    host.get("agenttoken").asText(), "kvm-stopping", 64 * GIB)) {
                await("kvm-stopping Up", () -> hostState(stoppingHost).equals("Up"));
                stopping.announceStopping();
                await("the server knows", () -> server.server.agents().isStopping(stoppingHost));

                String chosen = awaitOk(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine")
                        .get("virtualmachine").get("hostid").asText();
                assertTrue(!chosen.equals(stoppingHost), "not the stopping host, though it has the most memory free");
                awaitOk(admin.call("stopVirtualMachine", "id", vm, "forced", "true"), "stopVirtualMachine");
                JsonNode refused = awaitJob(admin.call("startVirtualMachine", "id", vm, "hostid", stoppingHost),
                        "startVirtualMachine");
                assertEquals(533, refused.get("jobresult").get("errorcode").asInt(), refused.toString());
                assertTrue(refused.get("jobresult").get("errortext").asText().contains("host kvm-stopping is stopping"
                        + " (its agent takes no new commands until it connects again)"), refused.toString());
                assertEquals(List.of(), stopping.received(StartVmCommand.class), "nothing sent to be refused");
                assertEquals("Up", hostState(stoppingHost), "CloudStack has no state for it: Up until it disconnects");
            }
            await("kvm-stopping Disconnected", () -> !hostState(stoppingHost).equals("Up"));
            try (FakeHypervisorAgent restarted = new FakeHypervisorAgent(server.server.agentPort(),
                    host.get("agenttoken").asText(), "kvm-stopping", 64 * GIB)) {
                await("kvm-stopping Up again", () -> hostState(stoppingHost).equals("Up"));
                assertEquals(stoppingHost, awaitOk(admin.call("startVirtualMachine", "id", vm, "hostid", stoppingHost),
                        "startVirtualMachine").get("virtualmachine").get("hostid").asText(), "a new connection");
                assertEquals(1, restarted.received(StartVmCommand.class).size());
                awaitOk(admin.call("stopVirtualMachine", "id", vm, "forced", "true"), "stopVirtualMachine");
            }
        } finally {
            sql("UPDATE host SET resource_state = 'Disabled' WHERE uuid = ?", stoppingHost);
        }
    }

    @Test
    void theOfferingsHostTagsKeepTheVmToHostsThatCarryThem() throws Exception {
        String tagged = ok(admin.call("createServiceOffering", "name", "tagged", "cpunumber", "1", "cpuspeed", "500",
                "memory", "256", "hosttags", "vmtag"), "createServiceOffering").get("serviceoffering").get("id")
                .asText();
        String first = stageVm("tagged-1", tagged, 1);
        JsonNode failed = awaitJob(admin.call("startVirtualMachine", "id", first), "startVirtualMachine");
        assertEquals(533, failed.get("jobresult").get("errorcode").asInt(), failed.toString());
        assertTrue(failed.get("jobresult").get("errortext").asText().contains(
                "host kvm-large lacks host tag(s) vmtag of the service offering"), failed.toString());
        ok(admin.call("updateHost", "id", smallHost, "hosttags", "vmtag"), "updateHost");
        assertEquals(smallHost, awaitOk(admin.call("startVirtualMachine", "id", first), "startVirtualMachine")
                .get("virtualmachine").get("hostid").asText(), "the tagged host, though the other has more free");
        awaitOk(admin.call("stopVirtualMachine", "id", first, "forced", "true"), "stopVirtualMachine");
    }

    @Test
    void aStopPowersTheDomainOffAndAStopOfAStoppedVmChangesNothing() throws Exception {
        String vm = stageVm("stop-1", offering, 1);
        awaitOk(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine");
        JsonNode stopped = awaitOk(admin.call("stopVirtualMachine", "id", vm), "stopVirtualMachine")
                .get("virtualmachine");
        assertEquals("Stopped", stopped.get("state").asText());
        assertFalse(stopped.has("hostid"), stopped.toString());
        StopVmCommand sent = large.received(StopVmCommand.class).stream().filter(c -> c.vmUuid().equals(vm))
                .findFirst().orElseThrow();
        assertEquals(7, sent.graceSeconds(), "vm.stop.timeout.seconds");
        assertFalse(sent.forced());
        assertFalse(large.running.containsKey(vm));
        long stops = large.received(StopVmCommand.class).size() + small.received(StopVmCommand.class).size();
        assertEquals("Stopped", awaitOk(admin.call("stopVirtualMachine", "id", vm), "stopVirtualMachine")
                .get("virtualmachine").get("state").asText());
        assertEquals(stops, large.received(StopVmCommand.class).size() + small.received(StopVmCommand.class).size(),
                "nothing sent for a Stopped VM");
        assertEquals(vmDbId(vm) , longValue("SELECT id FROM vm_instance WHERE uuid = ? AND last_host_id IS NOT NULL",
                vm), "the last host is kept");
    }

    @Test
    void aFailedStartLeavesTheVmStoppedWithTheAgentsReason() throws Exception {
        String vm = stageVm("fail-1", offering, 1);
        large.failNextStart = "the host has no KVM today";
        JsonNode failed = awaitJob(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine");
        assertEquals(2, failed.get("jobstatus").asInt(), failed.toString());
        assertTrue(failed.get("jobresult").get("errortext").asText().contains("the host has no KVM today"),
                failed.toString());
        assertEquals("Stopped", vmField(vm, "state"));
        assertEquals(0, longValue("SELECT COUNT(*) FROM vm_instance WHERE uuid = ? AND host_id IS NOT NULL", vm));
        assertTrue(stringValue("SELECT state_reason FROM vm_instance WHERE uuid = ?", vm)
                .contains("the host has no KVM today"));
    }

    @Test
    void volumesAttachInTheDatabaseToAStoppedVmAndAreHotPluggedIntoARunningOne() throws Exception {
        String vm = stageVm("disks-1", offering, 1);
        String first = stageVolume("data-1", 1);
        String second = stageVolume("data-2", 1);
        JsonNode attached = awaitOk(admin.call("attachVolume", "id", first, "virtualmachineid", vm), "attachVolume")
                .get("volume");
        assertEquals(vm, attached.get("virtualmachineid").asText());
        assertEquals("disks-1", attached.get("vmname").asText());
        assertEquals("Stopped", attached.get("vmstate").asText());
        assertEquals(1, attached.get("deviceid").asInt());
        assertTrue(large.received(AttachDiskCommand.class).isEmpty() && small.received(AttachDiskCommand.class)
                .isEmpty(), "a Stopped VM's attach sends nothing");

        ApiClient.Reply delete = admin.call("deleteVolume", "id", first);
        assertEquals(431, delete.status(), delete.body());
        assertEquals("Please specify a volume that is not attached to any VM.",
                delete.response("deleteVolume").get("errortext").asText());

        awaitOk(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine");
        FakeHypervisorAgent host = hostOf(vm);
        StartVmCommand start = host.received(StartVmCommand.class).stream().filter(c -> c.vmUuid().equals(vm))
                .findFirst().orElseThrow();
        assertEquals(2, start.disks().size(), "the attached disk starts with the VM");
        assertEquals(first, start.disks().get(1).volumeUuid());

        JsonNode hot = awaitOk(admin.call("attachVolume", "id", second, "virtualmachineid", vm), "attachVolume")
                .get("volume");
        assertEquals(2, hot.get("deviceid").asInt());
        AttachDiskCommand plug = host.received(AttachDiskCommand.class).get(0);
        assertEquals(vm, plug.vmUuid());
        assertEquals(2, plug.disk().deviceId());
        assertEquals(second, plug.disk().volumeUuid());

        JsonNode detached = awaitOk(admin.call("detachVolume", "id", first), "detachVolume").get("volume");
        assertFalse(detached.has("virtualmachineid"), detached.toString());
        assertEquals(first, host.received(DetachDiskCommand.class).get(0).disk().volumeUuid());
        JsonNode byDevice = awaitOk(admin.call("detachVolume", "virtualmachineid", vm, "deviceid", "2"),
                "detachVolume").get("volume");
        assertEquals(second, byDevice.get("id").asText());

        ApiClient.Reply notAttached = admin.call("detachVolume", "id", first);
        assertEquals(431, notAttached.status(), notAttached.body());
        assertEquals("The specified volume is not attached to a VM.",
                notAttached.response("detachVolume").get("errortext").asText());
        ApiClient.Reply neither = admin.call("detachVolume");
        assertEquals("Please provide either a volume id, or a tuple(device id, instance id)",
                neither.response("detachVolume").get("errortext").asText());
        awaitOk(admin.call("stopVirtualMachine", "id", vm, "forced", "true"), "stopVirtualMachine");
    }

    @Test
    void listVolumesByVirtualMachineIdListsThatVmsVolumesOnlyThroughItsIndex() throws Exception {
        String vm = stageVm("listed-1", offering, 1);
        String other = stageVm("listed-2", offering, 1);
        String data = stageVolume("listed-data", 1);
        stageVolume("listed-free", 1);
        awaitOk(admin.call("attachVolume", "id", data, "virtualmachineid", vm), "attachVolume");

        JsonNode listed = ok(admin.call("listVolumes", "virtualmachineid", vm, "listall", "true"), "listVolumes");
        assertEquals(2, listed.get("count").asInt(), listed.toString());
        assertEquals(java.util.Set.of("ROOT", "DATADISK"), java.util.Set.of(listed.get("volume").get(0).get("type")
                .asText(), listed.get("volume").get(1).get("type").asText()), listed.toString());
        for (JsonNode volume : listed.get("volume")) {
            assertEquals(vm, volume.get("virtualmachineid").asText(), volume.toString());
        }
        JsonNode root = ok(admin.call("listVolumes", "virtualmachineid", other, "type", "ROOT"), "listVolumes");
        assertEquals(1, root.get("count").asInt(), root.toString());
        assertEquals(other, root.get("volume").get(0).get("virtualmachineid").asText());

        ApiClient.Reply unknown = admin.call("listVolumes", "virtualmachineid", UUID.randomUUID().toString());
        assertEquals(431, unknown.status(), unknown.body());
        assertTrue(unknown.body().contains("virtualmachineid"), unknown.body());

        // The list's page of ids is read from ix_volumes_instance_list alone (filter, then order), as the
        // other list filters' pages are read from theirs (V10, V15).
        String plan = stringValue("EXPLAIN FORMAT=JSON SELECT v.id FROM volumes v WHERE v.removed IS NULL"
                + " AND v.instance_id = (SELECT id FROM vm_instance WHERE uuid = ?) ORDER BY v.id", vm);
        assertTrue(plan.contains("\"key\": \"ix_volumes_instance_list\""), plan);
        assertFalse(plan.contains("filesort"), "the index gives the order: " + plan);
    }

    @Test
    void aSnapshotOfARunningVmsVolumeIsNotRevertedButOfAStoppedOnesIs() throws Exception {
        String vm = stageVm("revert-1", offering, 1);
        String snapshot = UUID.randomUUID().toString();
        sql("INSERT INTO snapshots (uuid, name, volume_id, account_id, domain_id, data_center_id, snapshot_type,"
                + " size, status, hypervisor_type, created) SELECT ?, 'snap', v.id, 1, 1, v.data_center_id, 'MANUAL',"
                + " v.size, 'CreatedOnPrimary', 'KVM', UTC_TIMESTAMP() FROM volumes v JOIN vm_instance i"
                + " ON i.id = v.instance_id WHERE i.uuid = ?", snapshot, vm);
        sql("INSERT INTO snapshot_store_ref (snapshot_id, store_id, store_role, volume_id, install_path, size,"
                + " physical_size, state, created, last_updated) SELECT s.id, v.pool_id, 'Primary', v.id, 'snap',"
                + " v.size, 0, 'Ready', UTC_TIMESTAMP(), UTC_TIMESTAMP() FROM snapshots s JOIN volumes v"
                + " ON v.id = s.volume_id WHERE s.uuid = ?", snapshot);
        awaitOk(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine");
        ApiClient.Reply refused = admin.call("revertSnapshot", "id", snapshot);
        assertEquals(431, refused.status(), refused.body());
        String text = refused.response("revertSnapshot").get("errortext").asText();
        assertTrue(text.startsWith("The VM the specified disk is attached to is not in the shutdown state")
                && text.contains("revert-1 (" + vm + "), which is Running"), text);
        assertEquals("Ready", stringValue("SELECT v.state FROM volumes v JOIN vm_instance i ON i.id = v.instance_id"
                + " WHERE i.uuid = ?", vm), "the volume is untouched");

        awaitOk(admin.call("stopVirtualMachine", "id", vm), "stopVirtualMachine");
        ApiClient.Reply accepted = admin.call("revertSnapshot", "id", snapshot);
        assertEquals(200, accepted.status(), "accepted once the VM is Stopped: " + accepted.body());
        // The staged pool has no storage behind it: the job itself fails there, and the volume is Ready again.
        admin.awaitJob(accepted.response("revertSnapshot").get("jobid").asText());
        await("the volume Ready again", () -> "Ready".equals(stringValue("SELECT v.state FROM volumes v JOIN"
                + " vm_instance i ON i.id = v.instance_id WHERE i.uuid = ?", vm)));
    }

    @Test
    void quiescevmFreezesARunningVmAroundItsVolumeSnapshotThawsEvenWhenItFailsAndSaysWhenTheGuestHasNoAgent()
            throws Exception {
        String vm = stageVm("quiesce-1", offering, 1);
        sql("UPDATE volumes v JOIN vm_instance i ON i.id = v.instance_id JOIN storage_pool p ON p.name ="
                + " 'journaled-pool' SET v.pool_id = p.id WHERE i.uuid = ?", vm);
        String root = stringValue("SELECT v.uuid FROM volumes v JOIN vm_instance i ON i.id = v.instance_id"
                + " WHERE i.uuid = ?", vm); // staged with its uuid as its image name
        List<String> journal = JournaledStorageFactory.JOURNAL;
        awaitOk(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine");
        FakeHypervisorAgent host = hostOf(vm);
        host.journal = journal;
        try {
            journal.clear();
            JsonNode quiesced = awaitOk(admin.call("createSnapshot", "volumeid", root, "quiescevm", "true"),
                    "createSnapshot").get("snapshot");
            assertEquals("CreatedOnPrimary", quiesced.get("state").asText(), quiesced.toString());
            assertEquals(List.of("freeze " + vm, "snapshot " + root, "thaw " + vm), journal);

            journal.clear();
            host.guestAgent = false;
            JsonNode crash = awaitOk(admin.call("createSnapshot", "volumeid", root, "quiescevm", "true"),
                    "createSnapshot").get("snapshot");
            assertEquals("CreatedOnPrimary", crash.get("state").asText(), crash.toString());
            assertEquals(List.of("freeze " + vm, "snapshot " + root), journal, "nothing frozen, nothing to thaw");
            JsonNode events = ok(admin.call("listEvents", "type", "SNAPSHOT.CREATE", "keyword", crash.get("name")
                    .asText()), "listEvents");
            assertTrue(events.path("event").toString().contains("is crash-consistent, not quiesced (quiescevm=true):"
                    + " the guest has no qemu-guest-agent"), "the event says so plainly: " + events);

            journal.clear();
            host.guestAgent = true;
            JournaledStorageFactory.failSnapshot = new io.rbdstack.spi.storage.StorageException(
                    io.rbdstack.spi.storage.StorageException.Kind.FAILED, "injected snapshot failure");
            JsonNode failed = awaitJob(admin.call("createSnapshot", "volumeid", root, "quiescevm", "true"),
                    "createSnapshot");
            assertEquals(2, failed.get("jobstatus").asInt(), failed.toString());
            assertTrue(failed.toString().contains("injected snapshot failure"), failed.toString());
            assertEquals(List.of("freeze " + vm, "snapshot " + root, "thaw " + vm), journal, "thawed all the same");
            JournaledStorageFactory.failSnapshot = null;
            assertEquals("Ready", stringValue("SELECT state FROM volumes WHERE uuid = ?", root));

            journal.clear();
            awaitOk(admin.call("createSnapshot", "volumeid", root), "createSnapshot");
            assertEquals(List.of("snapshot " + root), journal, "without quiescevm nothing is frozen");

            awaitOk(admin.call("stopVirtualMachine", "id", vm), "stopVirtualMachine");
            journal.clear();
            awaitOk(admin.call("createSnapshot", "volumeid", root, "quiescevm", "true"), "createSnapshot");
            assertEquals(List.of("snapshot " + root), journal, "a Stopped VM needs no freeze");
        } finally {
            JournaledStorageFactory.failSnapshot = null;
            host.guestAgent = true;
            host.journal = new java.util.concurrent.CopyOnWriteArrayList<>();
        }
    }

    @Test
    void aVmWhoseDomainVanishedIsStoppedBySyncWithAnEventAndASyncAlert() throws Exception {
        String vm = stageVm("vanish-1", offering, 1);
        awaitOk(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine");
        FakeHypervisorAgent host = hostOf(vm);
        String hostName = host == large ? "kvm-large" : "kvm-small";
        Thread.sleep(2_500);
        assertEquals("Running", vmField(vm, "state"), "a reported domain stays Running");
        long started = System.nanoTime();
        host.vanish(vm);
        await("the vanished VM Stopped", () -> "Stopped".equals(vmField(vm, "state")));
        System.out.printf("VmSync noticed the vanished domain in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertEquals(0, longValue("SELECT COUNT(*) FROM vm_instance WHERE uuid = ? AND host_id IS NOT NULL", vm));
        assertEquals(1, longValue("SELECT COUNT(*) FROM vm_instance WHERE uuid = ? AND last_host_id IS NOT NULL", vm));
        JsonNode events = admin.call("listEvents", "type", "VM.STOP", "keyword", "out of band")
                .response("listEvents");
        assertTrue(events.toString().contains("vanish-1 stopped out of band (state sync) on host " + hostName),
                events.toString());
        assertEquals(1, longValue("SELECT COUNT(*) FROM alert WHERE type = 27 AND subject = ?",
                "VM " + hostName + "(vanish-1) state is sync-ed (Running -> Stopped) from out-of-context transition."));
    }

    @Test
    void aRebootStopsAndStartsTheDomainOnTheSameHost() throws Exception {
        String vm = stageVm("reboot-1", offering, 1);
        awaitOk(admin.call("startVirtualMachine", "id", vm, "hostid", smallHost), "startVirtualMachine");
        JsonNode rebooted = awaitOk(admin.call("rebootVirtualMachine", "id", vm), "rebootVirtualMachine")
                .get("virtualmachine");
        assertEquals("Running", rebooted.get("state").asText());
        assertEquals(smallHost, rebooted.get("hostid").asText(), "the same host, though the large one has more free");
        assertEquals(1, small.received(StopVmCommand.class).stream().filter(c -> c.vmUuid().equals(vm)).count());
        assertEquals(2, small.received(StartVmCommand.class).stream().filter(c -> c.vmUuid().equals(vm)).count());
        awaitOk(admin.call("stopVirtualMachine", "id", vm, "forced", "true"), "stopVirtualMachine");
        ApiClient.Reply stopped = admin.call("rebootVirtualMachine", "id", vm);
        assertEquals(431, stopped.status(), stopped.body());
    }

    @Test
    void vmsLeftStartingOrStoppingByAJobThatEndedAreSettledFromWhatTheHostReports() throws Exception {
        String starting = stageVm("left-starting", offering, 1);
        String stopping = stageVm("left-stopping", offering, 1);
        sql("UPDATE vm_instance SET state = 'Starting', host_id = (SELECT id FROM host WHERE uuid = ?) WHERE uuid = ?",
                smallHost, starting);
        sql("UPDATE vm_instance SET state = 'Stopping', host_id = (SELECT id FROM host WHERE uuid = ?) WHERE uuid = ?",
                smallHost, stopping);
        small.running.put(starting, "i-1-left-VM");
        try {
            await("the started domain's VM Running", () -> "Running".equals(vmField(starting, "state")));
            await("the stopped domain's VM Stopped", () -> "Stopped".equals(vmField(stopping, "state")));
            assertEquals(smallHost, vmField(starting, "hostid"));
        } finally {
            awaitOk(admin.call("stopVirtualMachine", "id", starting, "forced", "true"), "stopVirtualMachine");
        }
    }

    @Test
    void aDomainRunningForAStoppedVmRaisesOneSyncAlertAndIsLeftRunning() throws Exception {
        String vm = stageVm("stray-1", offering, 1);
        small.running.put(vm, "i-1-stray-VM");
        try {
            await("a sync alert about the stray domain", () -> longValueOf("SELECT COUNT(*) FROM alert WHERE type = 27"
                    + " AND subject = 'VM kvm-small(stray-1) runs on the host while it is Stopped in the database; it is"
                    + " left running'") == 1);
            Thread.sleep(2_500);
            assertEquals(1, longValue("SELECT COUNT(*) FROM alert WHERE type = 27 AND subject LIKE '%(stray-1) runs%'"),
                    "one alert however often it is seen");
            assertEquals("Stopped", vmField(vm, "state"));
            assertTrue(small.received(StopVmCommand.class).stream().noneMatch(c -> c.vmUuid().equals(vm)),
                    "the domain is not stopped");
        } finally {
            small.vanish(vm);
        }
    }

    @Test
    void theVmsOfAHostThatWentAwayKeepTheirStateWithTheirPowerStateMissing() throws Exception {
        JsonNode host = addStagedHost("kvm-gone");
        String goneHost = host.get("id").asText();
        String vm = stageVm("orphan-1", offering, 1);
        try (FakeHypervisorAgent gone = new FakeHypervisorAgent(server.server.agentPort(),
                host.get("agenttoken").asText(), "kvm-gone", GIB)) {
            await("kvm-gone Up", () -> hostState(goneHost).equals("Up"));
            awaitOk(admin.call("startVirtualMachine", "id", vm, "hostid", goneHost), "startVirtualMachine");
            assertEquals("PowerOn", stringValue("SELECT power_state FROM vm_instance WHERE uuid = ?", vm));
        }
        await("kvm-gone Disconnected", () -> !hostState(goneHost).equals("Up"));
        await("power state PowerReportMissing", () -> "PowerReportMissing".equals(stringValue(
                "SELECT power_state FROM vm_instance WHERE uuid = ?", vm)));
        assertEquals("Running", vmField(vm, "state"), "no HA: the state stays what it was");
        ApiClient.Reply graceful = admin.call("stopVirtualMachine", "id", vm);
        assertEquals(534, awaitJob(graceful, "stopVirtualMachine").get("jobresult").get("errorcode").asInt(),
                "a graceful stop needs the host");
        assertEquals("Running", vmField(vm, "state"));
        assertEquals("Stopped", awaitOk(admin.call("stopVirtualMachine", "id", vm, "forced", "true"),
                "stopVirtualMachine").get("virtualmachine").get("state").asText(),
                "a forced stop marks it Stopped though its host cannot be asked (CloudStack's forced)");
        sql("UPDATE host SET resource_state = 'Disabled' WHERE uuid = ?", goneHost);
    }

    @Test
    void destroyStopsTheVmKeepsItsDataDisksAndOnlyAdminsRecover() throws Exception {
        String vm = stageVm("gone-1", offering, 1);
        String data = stageVolume("gone-data", 1);
        awaitOk(admin.call("attachVolume", "id", data, "virtualmachineid", vm), "attachVolume");
        awaitOk(admin.call("startVirtualMachine", "id", vm), "startVirtualMachine");
        JsonNode destroyed = awaitOk(admin.call("destroyVirtualMachine", "id", vm), "destroyVirtualMachine")
                .get("virtualmachine");
        assertEquals("Destroyed", destroyed.get("state").asText());
        assertTrue(hostOf(vm) == null && !large.running.containsKey(vm) && !small.running.containsKey(vm));
        JsonNode volume = admin.call("listVolumes", "id", data).response("listVolumes").get("volume").get(0);
        assertFalse(volume.has("virtualmachineid"), "the data disk is detached and kept: " + volume);

        ApiClient.Reply notDestroyed = admin.call("recoverVirtualMachine", "id", stageVm("alive-1", offering, 1));
        assertEquals(431, notDestroyed.status());
        assertTrue(notDestroyed.response("recoverVirtualMachine").get("errortext").asText().endsWith(
                "is not in the right state"));
        JsonNode recovered = ok(admin.call("recoverVirtualMachine", "id", vm), "recoverVirtualMachine")
                .get("virtualmachine");
        assertEquals("Stopped", recovered.get("state").asText());

        ok(admin.call("createAccount", "username", "vmuser", "password", "pw", "email", "u@example.com",
                "firstname", "V", "lastname", "U"), "createAccount");
        long account = longValue("SELECT id FROM account WHERE account_name = ?", "vmuser");
        ApiClient user = ApiClient.login(server.baseUrl(), "vmuser", "pw");
        String own = stageVm("user-1", offering, account);
        ApiClient.Reply expunge = user.call("destroyVirtualMachine", "id", own, "expunge", "true");
        assertEquals(531, expunge.status(), expunge.body());
        assertEquals("Parameter expunge can be passed by Admin only. Or when the allow.user.expunge.recover.vm key is"
                + " set.", expunge.response("destroyVirtualMachine").get("errortext").asText());
        awaitOk(user.call("destroyVirtualMachine", "id", own), "destroyVirtualMachine");
        ApiClient.Reply recover = user.call("recoverVirtualMachine", "id", own);
        assertEquals(531, recover.status(), recover.body());
        assertEquals("Recovering a vm can only be done by an Admin. Or when the allow.user.expunge.recover.vm key is"
                + " set.", recover.response("recoverVirtualMachine").get("errortext").asText());
        assertFalse(user.call("listVirtualMachines", "id", own).response("listVirtualMachines").get("virtualmachine")
                .get(0).has("instancename"), "users do not see the instance name");
    }

    @Test
    void aDeployNamingAnUnknownNetworkOrABadNameIsRefusedAndKeepsNothing() throws Exception {
        long vms = longValue("SELECT COUNT(*) FROM vm_instance");
        long volumes = longValue("SELECT COUNT(*) FROM volumes");
        ApiClient.Reply reply = admin.call("deployVirtualMachine", "zoneid", zone, "serviceofferingid", offering,
                "templateid", template, "networkids", UUID.randomUUID().toString());
        assertEquals(431, reply.status(), reply.body());
        assertTrue(reply.response("deployVirtualMachine").get("errortext").asText().contains("parameter networkids"),
                reply.body());
        ApiClient.Reply badName = admin.call("deployVirtualMachine", "zoneid", zone, "serviceofferingid", offering,
                "templateid", template, "name", "1-bad");
        assertEquals(431, badName.status(), badName.body());
        assertTrue(badName.response("deployVirtualMachine").get("errortext").asText().startsWith(
                "Invalid hostname: 1-bad."));
        assertEquals(vms, longValue("SELECT COUNT(*) FROM vm_instance"));
        assertEquals(volumes, longValue("SELECT COUNT(*) FROM volumes"));
    }

    @Test
    void aTemplateWithVmsIsNotDeletedAndTheRefusalNamesThem() throws Exception {
        String vm = stageVm("keeps-template", offering, 1);
        ApiClient.Reply refused = admin.call("deleteTemplate", "id", template);
        assertEquals(431, refused.status(), refused.body());
        String text = refused.response("deleteTemplate").get("errortext").asText();
        assertTrue(text.startsWith("Unable to delete template with id: " + template + " because VM instances: [")
                && text.contains(vm) && text.endsWith("] are using it."), text);
    }

    @Test
    void keaOnTheHostFollowsTheDualStackNicsOfTheVmsItRunsAndADestroyedVmLosesItsReservation() throws Exception {
        String network = ok(admin.call("createNetwork", "name", "dual", "zoneid", zone, "networkofferingid",
                ok(admin.call("listNetworkOfferings", "isdefault", "true"), "listNetworkOfferings")
                        .get("networkoffering").get(0).get("id").asText(), "gateway", "10.200.0.1", "netmask",
                "255.255.255.0", "startip", "10.200.0.10", "endip", "10.200.0.20", "bridge", "brdual", "ip6cidr",
                "fd00:dd::/64", "ip6pdprefix", "fd00:dd:8000::/48", "ip6pdlength", "56"), "createNetwork")
                .get("network").get("id").asText();
        String a = stageVm("dual-a", offering, 1);
        String b = stageVm("dual-b", offering, 1);
        Jdbc jdbc = new Jdbc(db.dataSource());
        DbGuestNics nics = new DbGuestNics(jdbc, new NetworkRepository(jdbc), new SettingsRepository(jdbc));
        long zoneId = longValue("SELECT id FROM data_center WHERE uuid = ?", zone);
        String macA = nics.allocate(vmDbId(a), zoneId, 1, List.of(new GuestNics.NicRequest(network, null,
                "52:54:00:d6:c2:a9", "networkids"))).get(0).macAddress();
        String macB = nics.allocate(vmDbId(b), zoneId, 1, List.of(new GuestNics.NicRequest(network, null, null,
                "networkids"))).get(0).macAddress();
        String networkUuid = network;
        java.util.function.Function<FakeHypervisorAgent, List<ApplyDhcpNetworkCommand>> applies = agent ->
                agent.received(ApplyDhcpNetworkCommand.class).stream()
                        .filter(c -> c.networkUuid().equals(networkUuid)).toList();

        awaitOk(admin.call("startVirtualMachine", "id", a, "hostid", largeHost), "startVirtualMachine");
        awaitOk(admin.call("startVirtualMachine", "id", b, "hostid", largeHost), "startVirtualMachine");
        JsonNode nic = admin.call("listVirtualMachines", "id", a).response("listVirtualMachines")
                .get("virtualmachine").get(0).get("nic").get(0);
        assertEquals("fd00:dd::5054:ff:fed6:c2a9", nic.get("ip6address").asText(), "its EUI-64 address");
        assertEquals("fd00:dd::/64", nic.get("ip6cidr").asText());
        assertEquals("fd00:dd::1", nic.get("ip6gateway").asText());
        await("the host applies both reservations", () -> !applies.apply(large).isEmpty() && applies.apply(large)
                .get(applies.apply(large).size() - 1).reservations().size() == 2);
        ApplyDhcpNetworkCommand both = applies.apply(large).get(applies.apply(large).size() - 1);
        assertEquals("brdual", both.bridge());
        assertEquals("fd00:dd::/64", both.prefix());
        assertEquals("fd00:dd::1", both.gateway());
        assertEquals(new DhcpLifetimes(1000, 2000, 3000, 4000), both.lifetimes(), "the dhcpv6.* settings");
        assertEquals(List.of("duid"), both.macSources());
        assertEquals(new DhcpPdPool("fd00:dd:8000::/48", 56), both.pdPool());
        assertEquals(List.of(new DhcpReservation(macA, "fd00:dd::5054:ff:fed6:c2a9", null),
                new DhcpReservation(macB, Eui64.address(Eui64.macBytes(macB), Ipv6Cidr.parse("fd00:dd::/64")), null)),
                both.reservations());
        assertTrue(applies.apply(small).isEmpty(), "a host running none of its VMs does not serve the network");

        int before = applies.apply(large).size();
        awaitOk(admin.call("destroyVirtualMachine", "id", a), "destroyVirtualMachine");
        await("a later apply without the destroyed VM's reservation", () -> applies.apply(large).size() > before
                && applies.apply(large).get(applies.apply(large).size() - 1).reservations().stream()
                .map(DhcpReservation::mac).toList().equals(List.of(macB)));

        awaitOk(admin.call("stopVirtualMachine", "id", b), "stopVirtualMachine");
        await("the host stops serving the network once no VM of it runs there", () -> large
                .received(RemoveDhcpNetworkCommand.class).stream().anyMatch(c -> c.networkUuid().equals(networkUuid)));
        assertEquals(0L, longValue("SELECT COUNT(*) FROM network_dhcp_host d JOIN networks n ON n.id = d.network_id"
                + " WHERE n.uuid = ?", network), "no host serves it any more");
    }

    @Test
    void anAgentThatReconnectsIsSentTheWholeSetOfNetworksItMustServeWithoutOnesDeletedMeanwhile() throws Exception {
        JsonNode host = addStagedHost("kvm-back");
        String backHost = host.get("id").asText();
        String network = dualStackNetwork("dual-back", "10.201.0", "brback", "fd00:de::/64");
        String gone = dualStackNetwork("dual-gone", "10.202.0", "brgone", "fd00:df::/64");
        String vm = stageVm("dual-back", offering, 1);
        String vmGone = stageVm("dual-gone", offering, 1);
        String mac = nicOf(awaitOk(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", network),
                "addNicToVirtualMachine"), network).get("macaddress").asText();
        awaitOk(admin.call("addNicToVirtualMachine", "virtualmachineid", vmGone, "networkid", gone),
                "addNicToVirtualMachine");
        String instance;
        try (FakeHypervisorAgent first = new FakeHypervisorAgent(server.server.agentPort(),
                host.get("agenttoken").asText(), "kvm-back", 2 * GIB)) {
            await("kvm-back Up", () -> hostState(backHost).equals("Up"));
            awaitOk(admin.call("startVirtualMachine", "id", vm, "hostid", backHost), "startVirtualMachine");
            awaitOk(admin.call("startVirtualMachine", "id", vmGone, "hostid", backHost), "startVirtualMachine");
            await("the first connection is sent both networks", () -> applied(first, network).isPresent()
                    && applied(first, gone).isPresent());
            instance = first.running.get(vm);
        }
        await("kvm-back Disconnected", () -> !hostState(backHost).equals("Up"));
        // Meanwhile the second VM is forced off and its network deleted: no agent hears of it.
        sql("UPDATE vm_instance SET state = 'Stopped', host_id = NULL WHERE uuid = ?", vmGone);
        sql("UPDATE nics c JOIN vm_instance v ON v.id = c.instance_id SET c.removed = UTC_TIMESTAMP()"
                + " WHERE v.uuid = ?", vmGone);
        sql("UPDATE networks SET removed = UTC_TIMESTAMP() WHERE uuid = ?", gone);
        assertEquals(2L, longValue("SELECT COUNT(*) FROM network_dhcp_host d JOIN host h ON h.id = d.host_id"
                + " WHERE h.uuid = ?", backHost), "the server still records both as served there");
        // Kea on the host may have lost its state meanwhile (a reboot): the reconnect brings it back.
        try (FakeHypervisorAgent again = new FakeHypervisorAgent(server.server.agentPort(),
                host.get("agenttoken").asText(), "kvm-back", 2 * GIB, java.util.Map.of(vm, instance))) {
            await("the reconnected agent is sent the whole set: the live network with the VM's reservation",
                    () -> !again.received(ServeDhcpNetworksCommand.class).isEmpty());
            ServeDhcpNetworksCommand set = again.received(ServeDhcpNetworksCommand.class).get(0);
            assertEquals(List.of(network), set.networks().stream().map(ApplyDhcpNetworkCommand::networkUuid).toList(),
                    "the deleted network is not in the set, so the host drops it");
            assertEquals(List.of(mac), set.networks().get(0).reservations().stream().map(DhcpReservation::mac).toList());
            await("the rows say what the host serves", () -> {
                try {
                    return longValue("SELECT COUNT(*) FROM network_dhcp_host d JOIN host h ON h.id = d.host_id"
                            + " WHERE h.uuid = ?", backHost) == 1;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            awaitOk(admin.call("stopVirtualMachine", "id", vm, "forced", "true"), "stopVirtualMachine");
            await("and the removal once the VM stopped", () -> again.received(RemoveDhcpNetworkCommand.class)
                    .stream().anyMatch(c -> c.networkUuid().equals(network)));
        }
        await("kvm-back Disconnected again", () -> !hostState(backHost).equals("Up"));
        sql("UPDATE host SET resource_state = 'Disabled' WHERE uuid = ?", backHost);
    }

    @Test
    void aRunningVmsNicsAreHotPluggedMovedAndRemovedAndKeaFollowsWithinASecond() throws Exception {
        String plain = ok(admin.call("createNetwork", "name", "nics-v4", "zoneid", zone, "networkofferingid",
                defaultNetworkOffering(), "gateway", "10.210.0.1", "netmask", "255.255.255.0", "startip",
                "10.210.0.10", "endip", "10.210.0.20", "bridge", "brnics"), "createNetwork").get("network").get("id")
                .asText();
        String first = dualStackNetwork("nics-a", "10.211.0", "brnicsa", "fd00:e1::/64");
        String second = dualStackNetwork("nics-b", "10.212.0", "brnicsb", "fd00:e2::/64");
        String vm = stageVm("nics-vm", offering, 1);
        JsonNode stopped = awaitOk(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", plain,
                "ipaddress", "10.210.0.15"), "addNicToVirtualMachine").get("virtualmachine");
        assertEquals("10.210.0.15", nicOf(stopped, plain).get("ipaddress").asText());
        assertTrue(nicOf(stopped, plain).get("isdefault").asBoolean(), "a VM's first NIC is its default one");
        assertTrue(large.received(PlugNicCommand.class).stream().noneMatch(c -> c.vmUuid().equals(vm))
                && small.received(PlugNicCommand.class).stream().noneMatch(c -> c.vmUuid().equals(vm)),
                "a Stopped VM changes in the database only");
        awaitOk(admin.call("startVirtualMachine", "id", vm, "hostid", largeHost), "startVirtualMachine");

        // add: plugged into the domain, with its EUI-64 address, and reserved in Kea on the host
        JsonNode added = awaitOk(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", first,
                "macaddress", "52:54:00:12:34:56"), "addNicToVirtualMachine").get("virtualmachine");
        long jobEnd = System.nanoTime();
        JsonNode nic = nicOf(added, first);
        assertEquals("fd00:e1::5054:ff:fe12:3456", nic.get("ip6address").asText(), "EUI-64 as at deploy");
        assertEquals("fd00:e1::/64", nic.get("ip6cidr").asText());
        assertFalse(nic.get("isdefault").asBoolean());
        PlugNicCommand plug = large.received(PlugNicCommand.class).stream().filter(c -> c.vmUuid().equals(vm))
                .findFirst().orElseThrow();
        assertEquals("52:54:00:12:34:56", plug.nic().mac());
        assertEquals("brnicsa", plug.nic().bridge());
        assertEquals(1, plug.nic().deviceId());
        await("Kea on the host gets the new NIC's reservation", () -> applied(large, first).filter(a -> a.reservations()
                .contains(new DhcpReservation("52:54:00:12:34:56", "fd00:e1::5054:ff:fe12:3456", null))).isPresent());
        long followedMillis = (System.nanoTime() - jobEnd) / 1_000_000;
        System.out.println("addNicToVirtualMachine: the reservation reached the (fake) host " + followedMillis
                + " ms after the job ended");
        assertTrue(followedMillis < 1000, "within a second: " + followedMillis + " ms");
        assertEquals("/var/lib/rbdstack/dhcp/kea6-ctrl.sock", applied(large, first).get().controlSocket(),
                "dhcpv6.kea.control.socket goes with the network");
        assertEquals("memfile", applied(large, first).get().leaseDatabaseType());

        // refusals, CloudStack's texts, naming the parameter
        assertRefused(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", first),
                "addNicToVirtualMachine", 431, "A NIC already exists for VM:");
        assertRefused(admin.call("removeNicFromVirtualMachine", "virtualmachineid", vm, "nicid",
                nicOf(added, plain).get("id").asText()), "removeNicFromVirtualMachine", 431, "nic is default");
        assertRefused(admin.call("removeNicFromVirtualMachine", "virtualmachineid", vm, "nicid",
                UUID.randomUUID().toString()), "removeNicFromVirtualMachine", 431, "parameter nicid");
        assertRefused(admin.call("updateDefaultNicForVirtualMachine", "virtualmachineid", vm, "nicid",
                nicOf(added, plain).get("id").asText()), "updateDefaultNicForVirtualMachine", 431, "already the default");

        // move = remove + add: unplugged, its reservation gone, then on the other network
        int removalsBefore = large.received(RemoveDhcpNetworkCommand.class).size();
        JsonNode removed = awaitOk(admin.call("removeNicFromVirtualMachine", "virtualmachineid", vm, "nicid",
                nic.get("id").asText()), "removeNicFromVirtualMachine").get("virtualmachine");
        assertTrue(nicOrNull(removed, first) == null, removed.toString());
        assertTrue(large.received(UnplugNicCommand.class).stream().anyMatch(c -> c.vmUuid().equals(vm)
                && c.nic().mac().equals("52:54:00:12:34:56")), "the host unplugged it first");
        await("the host stops serving the network the VM left", () -> large.received(RemoveDhcpNetworkCommand.class)
                .stream().skip(removalsBefore).anyMatch(c -> c.networkUuid().equals(first)));
        JsonNode moved = awaitOk(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", second),
                "addNicToVirtualMachine").get("virtualmachine");
        String movedMac = nicOf(moved, second).get("macaddress").asText();
        await("and serves the one it joined with the NIC's reservation", () -> applied(large, second)
                .filter(a -> a.reservations().stream().anyMatch(r -> r.mac().equals(movedMac))).isPresent());

        // the default NIC changes in the database; the old default may then go
        JsonNode updated = awaitOk(admin.call("updateDefaultNicForVirtualMachine", "virtualmachineid", vm, "nicid",
                nicOf(moved, second).get("id").asText()), "updateDefaultNicForVirtualMachine").get("virtualmachine");
        assertTrue(nicOf(updated, second).get("isdefault").asBoolean());
        assertFalse(nicOf(updated, plain).get("isdefault").asBoolean());
        for (String type : List.of("NIC.CREATE", "NIC.DELETE", "NIC.UPDATE")) {
            assertTrue(ok(admin.call("listEvents", "type", type, "resourceid", vm), "listEvents").path("count")
                    .asInt() > 0, type + " recorded");
        }
        awaitOk(admin.call("stopVirtualMachine", "id", vm, "forced", "true"), "stopVirtualMachine");
    }

    @Test
    void nicRequestsThatCannotBeMetAreRefusedAndKeepNothing() throws Exception {
        String network = dualStackNetwork("nics-r", "10.213.0", "brnicsr", "fd00:e3::/64");
        String vm = stageVm("nics-refused", offering, 1);
        // a network of another zone
        String otherZone = ok(admin.call("createZone", "name", "vz-other", "dns1", "8.8.8.8", "internaldns1",
                "10.0.0.2", "networktype", "Advanced"), "createZone").get("zone").get("id").asText();
        String elsewhere = ok(admin.call("createNetwork", "name", "elsewhere", "zoneid", otherZone,
                "networkofferingid", defaultNetworkOffering(), "gateway", "10.214.0.1", "netmask", "255.255.255.0",
                "startip", "10.214.0.10", "bridge", "brelse"), "createNetwork").get("network").get("id").asText();
        assertJobRefused(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", elsewhere),
                "addNicToVirtualMachine", 431, "parameter networkid");
        assertJobRefused(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", network,
                "ipaddress", "10.99.0.5"), "addNicToVirtualMachine", 431, "parameter ipaddress");
        assertJobRefused(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", network,
                "macaddress", "01:00:5e:00:00:01"), "addNicToVirtualMachine", 431, "parameter macaddress");
        assertEquals(0L, longValue("SELECT COUNT(*) FROM nics c JOIN vm_instance v ON v.id = c.instance_id"
                + " WHERE v.uuid = ?", vm), "nothing kept");
        // another account's VM is not the caller's to change
        ok(admin.call("createAccount", "username", "nicuser", "password", "pw", "email", "n@example.com",
                "firstname", "N", "lastname", "U"), "createAccount");
        ApiClient user = ApiClient.login(server.baseUrl(), "nicuser", "pw");
        ApiClient.Reply notTheirs = user.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", network);
        assertEquals(531, notTheirs.status(), notTheirs.body());
        // a plug the host refuses leaves no NIC behind
        awaitOk(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", network),
                "addNicToVirtualMachine");
        String plain = ok(admin.call("createNetwork", "name", "nics-r4", "zoneid", zone, "networkofferingid",
                defaultNetworkOffering(), "gateway", "10.215.0.1", "netmask", "255.255.255.0", "startip",
                "10.215.0.10", "bridge", "brnicsr4"), "createNetwork").get("network").get("id").asText();
        awaitOk(admin.call("startVirtualMachine", "id", vm, "hostid", largeHost), "startVirtualMachine");
        large.failNextPlug = "cannot plug NIC: the test says no";
        JsonNode failed = awaitJob(admin.call("addNicToVirtualMachine", "virtualmachineid", vm, "networkid", plain),
                "addNicToVirtualMachine");
        assertEquals(2, failed.get("jobstatus").asInt(), failed.toString());
        assertTrue(failed.get("jobresult").get("errortext").asText().contains("the test says no"), failed.toString());
        assertEquals(1L, longValue("SELECT COUNT(*) FROM nics c JOIN vm_instance v ON v.id = c.instance_id"
                + " WHERE v.uuid = ? AND c.removed IS NULL", vm), "the refused NIC is not kept");
        awaitOk(admin.call("stopVirtualMachine", "id", vm, "forced", "true"), "stopVirtualMachine");
    }

    // --- staging and helpers

    private static String defaultNetworkOffering() throws Exception {
        return ok(admin.call("listNetworkOfferings", "isdefault", "true"), "listNetworkOfferings")
                .get("networkoffering").get(0).get("id").asText();
    }

    /** A dual-stack network: IPv4 {@code <v4>.0/24}, its bridge and /64. */
    private static String dualStackNetwork(String name, String v4, String bridge, String ip6Cidr) throws Exception {
        return ok(admin.call("createNetwork", "name", name, "zoneid", zone, "networkofferingid",
                defaultNetworkOffering(), "gateway", v4 + ".1", "netmask", "255.255.255.0", "startip", v4 + ".10",
                "endip", v4 + ".20", "bridge", bridge, "ip6cidr", ip6Cidr), "createNetwork").get("network").get("id")
                .asText();
    }

    /** The last dhcp.applyNetwork of the network the agent received, if any. */
    private static java.util.Optional<ApplyDhcpNetworkCommand> applied(FakeHypervisorAgent agent, String network) {
        List<ApplyDhcpNetworkCommand> all = agent.received(ApplyDhcpNetworkCommand.class).stream()
                .filter(c -> c.networkUuid().equals(network)).toList();
        return all.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(all.get(all.size() - 1));
    }

    private static JsonNode nicOrNull(JsonNode vm, String network) {
        for (JsonNode nic : vm.path("nic")) {
            if (nic.get("networkid").asText().equals(network)) {
                return nic;
            }
        }
        return null;
    }

    private static JsonNode nicOf(JsonNode vm, String network) {
        JsonNode nic = nicOrNull(vm.has("virtualmachine") ? vm.get("virtualmachine") : vm, network);
        if (nic == null) {
            throw new AssertionError("no NIC on network " + network + ": " + vm);
        }
        return nic;
    }

    /** Refused at once (before a job) with the code and a text containing {@code text}. */
    private static void assertRefused(ApiClient.Reply reply, String command, int code, String text) {
        assertEquals(code, reply.status(), reply.body());
        assertTrue(reply.response(command).get("errortext").asText().contains(text), reply.body());
    }

    /** Refused at once or by its job, with the code and a text containing {@code text}. */
    private static void assertJobRefused(ApiClient.Reply reply, String command, int code, String text)
            throws Exception {
        if (reply.status() != 200) {
            assertRefused(reply, command, code, text);
            return;
        }
        JsonNode job = admin.awaitJob(reply.response(command).get("jobid").asText());
        assertEquals(2, job.get("jobstatus").asInt(), job.toString());
        assertEquals(code, job.get("jobresult").get("errorcode").asInt(), job.toString());
        assertTrue(job.get("jobresult").get("errortext").asText().contains(text), job.toString());
    }

    /** A Stopped VM of {@code accountId} with a Ready root volume on the staged pool; its uuid. */
    private static String stageVm(String name, String offeringUuid, long accountId) throws Exception {
        String uuid = UUID.randomUUID().toString();
        sql("INSERT INTO vm_instance (uuid, name, instance_name, display_name, state, account_id, domain_id,"
                + " data_center_id, cpus, cpu_speed, memory_mb, service_offering_id, template_id, created)"
                + " SELECT ?, ?, ?, ?, 'Stopped', a.id, a.domain_id, z.id, o.cpu, o.speed, o.ram_size, o.id, t.id,"
                + " UTC_TIMESTAMP() FROM account a, data_center z, service_offering o, vm_template t WHERE a.id = ?"
                + " AND z.uuid = ? AND o.uuid = ? AND t.uuid = ?", uuid, name, uuid, name, accountId, zone,
                offeringUuid, template);
        sql("UPDATE vm_instance SET instance_name = CONCAT('i-', account_id, '-', id, '-VM') WHERE uuid = ?", uuid);
        String root = UUID.randomUUID().toString();
        sql("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, instance_id, device_id,"
                + " volume_type, size, path, state, created) SELECT ?, CONCAT('ROOT-', i.id), i.account_id,"
                + " i.domain_id, i.data_center_id, p.id, i.id, 0, 'ROOT', 1073741824, ?, 'Ready', UTC_TIMESTAMP()"
                + " FROM vm_instance i, storage_pool p WHERE i.uuid = ? AND p.name = 'staged-pool'", root, root, uuid);
        return uuid;
    }

    /** A third host of the zone's pod and cluster, connected to the staged pool; addHost's host object. */
    private static JsonNode addStagedHost(String name) throws Exception {
        JsonNode host = ok(admin.call("addHost", "zoneid", zone, "podid", longValueAsUuid("SELECT p.uuid FROM"
                + " host_pod_ref p JOIN data_center z ON z.id = p.data_center_id WHERE z.uuid = ?", zone), "clusterid",
                longValueAsUuid("SELECT c.uuid FROM cluster c JOIN data_center z ON z.id = c.data_center_id"
                        + " WHERE z.uuid = ?", zone), "url", "http://" + name, "hypervisor", "KVM"), "addHost")
                .get("host").get(0);
        sql("INSERT INTO storage_pool_host_ref (pool_id, host_id, created) SELECT p.id, h.id, UTC_TIMESTAMP()"
                + " FROM storage_pool p, host h WHERE p.name = 'staged-pool' AND h.uuid = ?", host.get("id").asText());
        return host;
    }

    /** A Ready 1 GB data disk of {@code accountId} on the staged pool; its uuid. */
    private static String stageVolume(String name, long accountId) throws Exception {
        String uuid = UUID.randomUUID().toString();
        sql("INSERT INTO volumes (uuid, name, account_id, domain_id, data_center_id, pool_id, volume_type, size, path,"
                + " state, created) SELECT ?, ?, a.id, a.domain_id, p.data_center_id, p.id, 'DATADISK', 1073741824, ?,"
                + " 'Ready', UTC_TIMESTAMP() FROM account a, storage_pool p WHERE a.id = ? AND p.name = 'staged-pool'",
                uuid, name, uuid, accountId);
        return uuid;
    }

    private static FakeHypervisorAgent hostOf(String vm) throws Exception {
        JsonNode listed = admin.call("listVirtualMachines", "id", vm).response("listVirtualMachines")
                .get("virtualmachine").get(0);
        if (!listed.has("hostid")) {
            return null;
        }
        return listed.get("hostid").asText().equals(largeHost) ? large : small;
    }

    private static String vmField(String vm, String field) {
        try {
            return admin.call("listVirtualMachines", "id", vm).response("listVirtualMachines").get("virtualmachine")
                    .get(0).path(field).asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String hostState(String host) {
        try {
            return admin.call("listHosts", "id", host).response("listHosts").get("host").get(0).get("state").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static long vmDbId(String vm) throws Exception {
        return longValue("SELECT id FROM vm_instance WHERE uuid = ?", vm);
    }

    private static JsonNode ok(ApiClient.Reply reply, String command) {
        assertEquals(200, reply.status(), command + ": " + reply.body());
        return reply.response(command);
    }

    private static JsonNode awaitJob(ApiClient.Reply reply, String command) throws Exception {
        return admin.awaitJob(ok(reply, command).get("jobid").asText());
    }

    private static JsonNode awaitOk(ApiClient.Reply reply, String command) throws Exception {
        JsonNode job = awaitJob(reply, command);
        assertEquals(1, job.get("jobstatus").asInt(), command + ": " + job);
        return job.get("jobresult");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void sql(String sql, Object... args) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    private static long longValueOf(String sql) {
        return Long.parseLong(stringValue(sql));
    }

    private static String longValueAsUuid(String sql, Object... args) {
        return stringValue(sql, args);
    }

    private static long longValue(String sql, Object... args) throws Exception {
        return Long.parseLong(stringValue(sql, args));
    }

    private static String stringValue(String sql, Object... args) {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
