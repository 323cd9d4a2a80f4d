package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.ceph.rados.IoCTX;
import io.rbdstack.agent.fixtures.HttpTemplates;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.TestTemplate;
import io.rbdstack.testing.RealServices;
import io.rbdstack.server.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VM snapshots on the real server, agent and Ceph: a two-disk VM's volumes are snapshotted together as
 * one RBD group snapshot, reverted byte-exactly, and nothing is left in Ceph after the delete and the
 * expunge. The VM stays Stopped; its images are written behind the agent's back (rados-java).
 */
class VmSnapshotsIT {

    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static HttpTemplates templates;
    static IoCTX io;
    static String template;
    static String offering;
    static String diskOffering;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        io = cloud.cephAdmin().ioCtx();
        cloud.createdRbdPool("vmsnap-pool", cloud.ceph.limitedUser(), "zone");
        templates = new HttpTemplates(admin);
        template = templates.register(cloud.zoneId, "vmsnap-tmpl", () -> RbdData.bytes(8 * MIB, 31));
        offering = ok(admin.call("createServiceOffering", "name", "vmsnap-small", "cpunumber", "1", "cpuspeed", "500",
                "memory", "256"), "createServiceOffering").get("serviceoffering").get("id").asText();
        diskOffering = ok(admin.call("createDiskOffering", "name", "vmsnap-data", "disksize", "1"),
                "createDiskOffering").get("diskoffering").get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            // the VMs first (their root volumes are clones of the templates); the cloud's close removes the rest
            for (JsonNode vm : list(admin, "listVirtualMachines", "virtualmachine", "listall", "true")) {
                awaitOk(admin, admin.call("destroyVirtualMachine", "id", vm.get("id").asText(), "expunge", "true"),
                        "destroyVirtualMachine");
            }
            templates.close();
        } finally {
            cloud.close();
        }
    }

    /** A stopped VM with a root volume and a 1 GB data disk; the paths of its images, root first. */
    private static List<String> stoppedTwoDiskVm(String name, List<String> ids) throws Exception {
        String vmId = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId, "serviceofferingid",
                offering, "templateid", template, "name", name, "startvm", "false", "diskofferingid",
                diskOffering), "deployVirtualMachine").get("virtualmachine").get("id").asText();
        ids.add(vmId);
        List<JsonNode> volumes = list(admin, "listVolumes", "volume", "listall", "true", "virtualmachineid", vmId)
                .stream().sorted(java.util.Comparator.comparing(v -> v.get("deviceid").asInt())).toList();
        ids.add(volumes.get(1).get("id").asText());
        return volumes.stream().map(v -> v.get("path").asText()).toList();
    }

    @Test
    void bothDisksAreSnapshottedAsOneGroupSnapshotAndRevertedByteExactly() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        List<String> images = stoppedTwoDiskVm("vmsnap-1", ids);
        String vmId = ids.get(0);
        String root = images.get(0);
        String dataImage = images.get(1);
        RbdData.write(io, root, 0, RbdData.bytes(MIB, 1));
        RbdData.write(io, dataImage, 3 * MIB, RbdData.bytes(MIB, 2));
        String rootThen = RbdData.sha256(io, root, null);
        String dataThen = RbdData.sha256(io, dataImage, null);

        long t0 = System.nanoTime();
        JsonNode snapshot = awaitOk(admin, admin.call("createVMSnapshot", "virtualmachineid", vmId, "name", "before",
                "description", "both disks"), "createVMSnapshot").get("vmsnapshot");
        System.out.printf("createVMSnapshot of a stopped two-disk VM took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        String snapshotId = snapshot.get("id").asText();
        assertEquals("Ready", snapshot.get("state").asText(), snapshot.toString());
        assertEquals("before", snapshot.get("displayname").asText());
        assertEquals("Disk", snapshot.get("type").asText());
        assertTrue(snapshot.get("current").asBoolean());
        assertEquals(vmId, snapshot.get("virtualmachineid").asText());
        assertEquals("consistent: the VM was stopped", snapshot.get("consistency").asText());

        String groups = cloud.cluster.cli("rbd", "group", "snap", "ls", "--format", "json",
                cloud.ceph.pool() + "/" + vmId);
        assertTrue(groups.contains(snapshotId), "one group snapshot named after the VM snapshot: " + groups);
        assertEquals(1, groups.split("\"snapshot\"", -1).length - 1, groups);
        for (String image : List.of(root, dataImage)) {
            String snaps = cloud.cluster.cli("rbd", "snap", "ls", "--all", cloud.ceph.pool() + "/" + image);
            assertTrue(snaps.contains("group"), image + " holds its part in the group namespace: " + snaps);
        }

        JsonNode listed = list(admin, "listVMSnapshot", "vmSnapshot", "virtualmachineid", vmId).get(0);
        assertEquals(snapshotId, listed.get("id").asText());
        assertEquals("both disks", listed.get("description").asText());
        assertEquals(1, list(admin, "listVMSnapshot", "vmSnapshot", "name", "before").size());
        assertEquals(0, list(admin, "listVMSnapshot", "vmSnapshot", "state", "Error").size());

        ApiClient.Reply sameName = admin.call("createVMSnapshot", "virtualmachineid", vmId, "name", "before");
        assertEquals(431, sameName.status(), sameName.body());
        ApiClient.Reply memory = admin.call("createVMSnapshot", "virtualmachineid", vmId, "snapshotmemory", "true");
        assertEquals(431, memory.status(), memory.body());
        assertTrue(memory.body().contains("parameter snapshotmemory"), memory.body());
        ApiClient.Reply detach = admin.call("detachVolume", "id", ids.get(1));
        JsonNode detachJob = admin.awaitJob(ok(detach, "detachVolume").get("jobid").asText());
        assertEquals(2, detachJob.get("jobstatus").asInt(), detachJob.toString());
        assertTrue(detachJob.toString().contains("please specify a VM that does not have VM snapshots"),
                detachJob.toString());

        RbdData.write(io, root, 0, RbdData.bytes(MIB, 3));
        RbdData.write(io, dataImage, 3 * MIB, RbdData.bytes(MIB, 4));
        assertNotEquals(rootThen, RbdData.sha256(io, root, null));
        assertNotEquals(dataThen, RbdData.sha256(io, dataImage, null));

        t0 = System.nanoTime();
        JsonNode reverted = awaitOk(admin, admin.call("revertToVMSnapshot", "vmsnapshotid", snapshotId),
                "revertToVMSnapshot").get("virtualmachine");
        System.out.printf("revertToVMSnapshot of two disks took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertEquals("Stopped", reverted.get("state").asText());
        assertEquals(rootThen, RbdData.sha256(io, root, null), "the root disk is as it was when snapshotted");
        assertEquals(dataThen, RbdData.sha256(io, dataImage, null), "the data disk is as it was when snapshotted");

        awaitOk(admin, admin.call("deleteVMSnapshot", "vmsnapshotid", snapshotId), "deleteVMSnapshot");
        assertTrue(list(admin, "listVMSnapshot", "vmSnapshot", "virtualmachineid", vmId).isEmpty());
        assertFalse(cloud.cluster.cli("rbd", "group", "ls", "--pool", cloud.ceph.pool()).contains(vmId),
                "the group goes with its last snapshot");
        for (String image : List.of(root, dataImage)) {
            assertFalse(cloud.cluster.cli("rbd", "snap", "ls", "--all", cloud.ceph.pool() + "/" + image)
                    .contains("group"), image);
        }
    }

    @Test
    void anExpungeDeletesTheVmSnapshotsFirstAndLeavesNoGroupOrImage() throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        String rootImage = stoppedTwoDiskVm("vmsnap-2", ids).get(0);
        String vmId = ids.get(0);
        String first = awaitOk(admin, admin.call("createVMSnapshot", "virtualmachineid", vmId), "createVMSnapshot")
                .get("vmsnapshot").get("id").asText();
        JsonNode second = awaitOk(admin, admin.call("createVMSnapshot", "virtualmachineid", vmId, "name", "second"),
                "createVMSnapshot").get("vmsnapshot");
        assertEquals(first, second.get("parent").asText(), "the second's parent is the first");
        assertTrue(cloud.cluster.cli("rbd", "group", "ls", "--pool", cloud.ceph.pool()).contains(vmId));

        awaitOk(admin, admin.call("destroyVirtualMachine", "id", vmId, "expunge", "true"), "destroyVirtualMachine");
        assertFalse(cloud.cluster.cli("rbd", "group", "ls", "--pool", cloud.ceph.pool()).contains(vmId),
                "no group left");
        String left = cloud.cluster.cli("rbd", "ls", "--pool", cloud.ceph.pool());
        assertFalse(left.contains(rootImage), "the root image is deleted: " + left);
        assertTrue(list(admin, "listVMSnapshot", "vmSnapshot", "listall", "true").stream()
                .noneMatch(s -> vmId.equals(s.get("virtualmachineid").asText())));
    }

    @Test
    void aRunningGuestWithoutAnAgentIsSnapshottedCrashConsistentAndRevertedOnlyOnceStopped() throws Exception {
        Path bootableFile = TestTemplate.get(RealServices.load()).file();
        String bootable = templates.register(cloud.zoneId, "vmsnap-boot", () -> Files.readAllBytes(bootableFile));
        JsonNode vm = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId, "serviceofferingid",
                offering, "templateid", bootable, "name", "vmsnap-run"), "deployVirtualMachine").get("virtualmachine");
        String vmId = vm.get("id").asText();
        try {
            assertEquals("Running", vm.get("state").asText(), vm.toString());
            JsonNode snapshot = awaitOk(admin, admin.call("createVMSnapshot", "virtualmachineid", vmId, "quiescevm",
                    "true"), "createVMSnapshot").get("vmsnapshot");
            assertEquals("Ready", snapshot.get("state").asText());
            assertFalse(snapshot.get("quiesced").asBoolean());
            assertEquals("the guest has no qemu-guest-agent; the snapshot is crash-consistent",
                    snapshot.get("consistency").asText());
            assertTrue(list(admin, "listEvents", "event", "type", "VMSNAPSHOT.CREATE").stream().anyMatch(e ->
                    e.get("description").asText().contains("is crash-consistent: the guest has no qemu-guest-agent")));

            ApiClient.Reply running = admin.call("revertToVMSnapshot", "vmsnapshotid", snapshot.get("id").asText());
            assertEquals(431, running.status(), running.body());
            assertTrue(running.body().contains("Reverting to the VM Snapshot is not allowed for running VMs"),
                    running.body());

            awaitOk(admin, admin.call("stopVirtualMachine", "id", vmId, "forced", "true"), "stopVirtualMachine");
            assertEquals("Stopped", awaitOk(admin, admin.call("revertToVMSnapshot", "vmsnapshotid",
                    snapshot.get("id").asText()), "revertToVMSnapshot").get("virtualmachine").get("state").asText());
        } finally {
            awaitOk(admin, admin.call("destroyVirtualMachine", "id", vmId, "expunge", "true"), "destroyVirtualMachine");
        }
    }
}
