package io.rbdstack.agent;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.ServedBytes;
import io.rbdstack.server.ApiClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage side of the VM lifecycle on the real server, agent and Ceph: a deploy clones the
 * template's base image into the root volume (an RBD child of tmpl-…@base) even with startvm=false,
 * makes the data disk, and an expunge leaves no image behind. VMs are never started here (the
 * agent's vm.* handlers come with the agent side of issue 12); VmOrchestrationIT covers the starts.
 */
class VmStorageIT {

    private static final int MIB = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static ApiClient admin;
    static ServedBytes http;
    static String template;
    static String offering;
    static String diskOffering;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        admin = cloud.admin();
        cloud.createdRbdPool("vm-pool", cloud.ceph.limitedUser(), "zone");
        byte[] image = RbdData.bytes(8 * MIB, 12);
        http = new ServedBytes("/vm.raw", image);
        template = ok(admin.call("registerTemplate", "name", "vm-tmpl", "url", http.url(), "zoneid", cloud.zoneId,
                "format", "RAW", "hypervisor", "KVM", "ispublic", "true"), "registerTemplate").get("template").get(0).get("id").asText();
        Deadline.await("template imported", Duration.ofSeconds(120), () -> list(admin, "listTemplates", "template",
                "templatefilter", "all", "id", template).get(0).get("isready").asBoolean());
        offering = ok(admin.call("createServiceOffering", "name", "vm-small", "cpunumber", "1", "cpuspeed", "500",
                "memory", "256"), "createServiceOffering").get("serviceoffering").get("id").asText();
        diskOffering = ok(admin.call("createDiskOffering", "name", "vm-data", "disksize", "1"), "createDiskOffering")
                .get("diskoffering").get("id").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        if (cloud != null) {
            try {
                for (JsonNode vm : list(admin, "listVirtualMachines", "virtualmachine", "listall", "true")) {
                    awaitOk(admin, admin.call("destroyVirtualMachine", "id", vm.get("id").asText(), "expunge", "true"),
                            "destroyVirtualMachine");
                }
                if (template != null) {
                    admin.awaitJob(ok(admin.call("deleteTemplate", "id", template), "deleteTemplate").get("jobid")
                            .asText());
                }
            } finally {
                cloud.close();
            }
        }
    }

    @Test
    void aDeployWithoutStartClonesTheTemplateIntoTheRootVolumeAndAnExpungeLeavesNoImage() throws Exception {
        long t0 = System.nanoTime();
        JsonNode vm = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId, "serviceofferingid",
                offering, "templateid", template, "name", "store-1", "startvm", "false", "diskofferingid",
                diskOffering), "deployVirtualMachine").get("virtualmachine");
        System.out.printf("deployVirtualMachine startvm=false (clone + data disk) took %d ms%n",
                (System.nanoTime() - t0) / 1_000_000);
        String id = vm.get("id").asText();
        assertEquals("Stopped", vm.get("state").asText());
        assertEquals("store-1", vm.get("name").asText());
        assertEquals("store-1", vm.get("displayname").asText());
        assertTrue(vm.get("instancename").asText().matches("i-\\d+-\\d+-VM"), vm.toString());
        assertEquals(template, vm.get("templateid").asText());
        assertEquals(256, vm.get("memory").asInt());
        assertEquals("ROOT", vm.get("rootdevicetype").asText());
        assertFalse(vm.get("haenable").asBoolean(), "the offering does not offer HA");

        List<JsonNode> volumes = list(admin, "listVolumes", "volume", "listall", "true", "virtualmachineid", id);
        assertEquals(2, volumes.size(), volumes.toString());
        JsonNode root = volumes.stream().filter(v -> v.get("type").asText().equals("ROOT")).findFirst().orElseThrow();
        JsonNode data = volumes.stream().filter(v -> v.get("type").asText().equals("DATADISK")).findFirst()
                .orElseThrow();
        assertEquals(0, root.get("deviceid").asInt());
        assertEquals(1, data.get("deviceid").asInt());
        assertEquals("Stopped", root.get("vmstate").asText());
        assertEquals("Ready", root.get("state").asText());
        assertEquals(8L * MIB, root.get("size").asLong(), "the template's size when no rootdisksize is given");

        String rootImage = root.get("path").asText();
        JsonNode info = JSON.readTree(cloud.cluster.cli("rbd", "info", "--format", "json",
                cloud.ceph.pool() + "/" + rootImage));
        assertEquals("tmpl-" + template, info.get("parent").get("image").asText(), info.toString());
        assertEquals("base", info.get("parent").get("snapshot").asText());
        assertTrue(images().contains(data.get("path").asText()), "the data disk is made on deploy");

        ApiClient.Reply deleteRoot = admin.call("deleteVolume", "id", root.get("id").asText());
        assertEquals(431, deleteRoot.status(), deleteRoot.body());
        assertEquals("Please specify a volume that is not attached to any VM.",
                deleteRoot.response("deleteVolume").get("errortext").asText());

        assertEquals("Destroyed", awaitOk(admin, admin.call("destroyVirtualMachine", "id", id),
                "destroyVirtualMachine").get("virtualmachine").get("state").asText());
        assertTrue(images().contains(rootImage), "a destroyed VM keeps its root volume until expunged");
        assertEquals("Stopped", ok(admin.call("recoverVirtualMachine", "id", id), "recoverVirtualMachine")
                .get("virtualmachine").get("state").asText());

        JsonNode expunged = awaitOk(admin, admin.call("destroyVirtualMachine", "id", id, "expunge", "true"),
                "destroyVirtualMachine").get("virtualmachine");
        assertEquals("Expunged", expunged.get("state").asText());
        assertTrue(list(admin, "listVirtualMachines", "virtualmachine", "id", id).isEmpty());
        assertFalse(images().contains(rootImage), "the root image is deleted");
        assertFalse(cloud.cluster.cli("rbd", "trash", "ls", "--long", "--pool", cloud.ceph.pool()).contains(rootImage),
                "nor left in the trash");
        JsonNode kept = list(admin, "listVolumes", "volume", "id", data.get("id").asText()).get(0);
        assertFalse(kept.has("virtualmachineid"), "the data disk is detached and kept: " + kept);
        assertTrue(images().contains(data.get("path").asText()));
        ok(admin.call("deleteVolume", "id", data.get("id").asText()), "deleteVolume");
        assertEquals(1, list(admin, "listEvents", "event", "type", "VM.EXPUNGE").stream()
                .filter(e -> e.toString().contains(id)).count(), "one VM.EXPUNGE event");
    }

    @Test
    void aRootDiskSizeGrowsTheCloneAndASmallerOneIsRefused() throws Exception {
        String ha = ok(admin.call("createServiceOffering", "name", "vm-ha", "cpunumber", "1", "cpuspeed", "500",
                "memory", "256", "offerha", "true"), "createServiceOffering").get("serviceoffering").get("id").asText();
        JsonNode vm = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId, "serviceofferingid",
                ha, "templateid", template, "startvm", "false", "rootdisksize", "1"), "deployVirtualMachine")
                .get("virtualmachine");
        String id = vm.get("id").asText();
        assertTrue(vm.get("haenable").asBoolean(), "haenable follows the offering's offerha");
        assertTrue(vm.get("name").asText().equals("VM-" + id), "a VM without a name is called after its uuid");
        JsonNode root = list(admin, "listVolumes", "volume", "listall", "true", "virtualmachineid", id).get(0);
        assertEquals(1L << 30, root.get("size").asLong());
        JsonNode info = JSON.readTree(cloud.cluster.cli("rbd", "info", "--format", "json",
                cloud.ceph.pool() + "/" + root.get("path").asText()));
        assertEquals(1L << 30, info.get("size").asLong(), info.toString());
        awaitOk(admin, admin.call("destroyVirtualMachine", "id", id, "expunge", "true"), "destroyVirtualMachine");
        assertFalse(images().contains(root.get("path").asText()));

        long vms = list(admin, "listVirtualMachines", "virtualmachine", "listall", "true").size();
        ApiClient.Reply tooSmall = admin.call("deployVirtualMachine", "zoneid", cloud.zoneId, "serviceofferingid",
                offering, "templateid", template, "startvm", "false", "rootdisksize", "0");
        assertEquals(431, tooSmall.status(), tooSmall.body());
        assertTrue(tooSmall.response("deployVirtualMachine").get("errortext").asText().contains(
                "a root volume cannot be smaller than its template (parameter rootdisksize)"), tooSmall.body());
        assertEquals(vms, list(admin, "listVirtualMachines", "virtualmachine", "listall", "true").size());
    }

    @Test
    void anAdminDeploysForAnAccountAndDeletingTheAccountExpungesItsVm() throws Exception {
        JsonNode account = ok(admin.call("createAccount", "username", "vm-owner", "password", "pw", "email",
                "o@example.com", "firstname", "V", "lastname", "O"), "createAccount").get("account");
        JsonNode vm = awaitOk(admin, admin.call("deployVirtualMachine", "zoneid", cloud.zoneId, "serviceofferingid",
                offering, "templateid", template, "startvm", "false", "name", "owned-1", "account", "vm-owner",
                "domainid", account.get("domainid").asText()), "deployVirtualMachine").get("virtualmachine");
        assertEquals("vm-owner", vm.get("account").asText());
        String id = vm.get("id").asText();
        JsonNode root = list(admin, "listVolumes", "volume", "listall", "true", "virtualmachineid", id).get(0);
        assertEquals("vm-owner", root.get("account").asText());
        assertTrue(images().contains(root.get("path").asText()));

        JsonNode job = admin.awaitJob(ok(admin.call("deleteAccount", "id", account.get("id").asText()),
                "deleteAccount").get("jobid").asText());
        assertEquals(1, job.get("jobstatus").asInt(), job.toString());
        assertTrue(list(admin, "listVirtualMachines", "virtualmachine", "listall", "true", "id", id).isEmpty());
        assertFalse(images().contains(root.get("path").asText()), "the VM's root image went with the account");
    }

    @Test
    void theOfferingsStorageTagsChooseTheRootVolumesPool() throws Exception {
        String tagged = ok(admin.call("createServiceOffering", "name", "vm-fast", "cpunumber", "1", "cpuspeed", "500",
                "memory", "256", "tags", "no-pool-has-this"), "createServiceOffering").get("serviceoffering")
                .get("id").asText();
        long vms = list(admin, "listVirtualMachines", "virtualmachine", "listall", "true").size();
        ApiClient.Reply refused = admin.call("deployVirtualMachine", "zoneid", cloud.zoneId, "serviceofferingid",
                tagged, "templateid", template, "startvm", "false");
        assertEquals(533, refused.status(), refused.body());
        assertTrue(refused.body().contains("no-pool-has-this"), refused.body());
        assertEquals(vms, list(admin, "listVirtualMachines", "virtualmachine", "listall", "true").size(),
                "nothing kept");
    }

    private static String images() throws Exception {
        return cloud.cluster.cli("rbd", "ls", "--pool", cloud.ceph.pool());
    }
}
