package io.rbdstack.agent.ui;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.server.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The networks and VM pages end to end in headless chromium against the real server, agent and Ceph: a
 * network created after the server refused its range under the field; a VM deployed without starting
 * on it, its NIC's address and MAC in the list; a data disk attached to it and detached on its page; the
 * network's delete refused while the VM has a NIC on it, with the VM named in the dialog; the VM
 * started and stopped from its row (its disk boots nothing: the stop is forced after vm.stop.timeout.seconds);
 * the VM destroyed and expunged, then the network deleted. It runs once the server has the VM and network
 * commands (listApis says so), and is skipped before. The network's bridge is this class's own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiVmFlowsIT {

    static final String NETWORK = "uivm-net";
    static final String VM = "uivm-vm1";
    static final String DISK = "uivm-data";
    private static final int MIB = 1 << 20;
    /** The guest bridge the started VM's NIC joins (guest.network.device), made by the agent, removed after. */
    static final String BRIDGE = "rbui" + java.util.UUID.randomUUID().toString().substring(0, 6);

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static Chromium chromium;
    static TemplateSource templates;
    /** Whether the server has the VM and network commands: the class is skipped until it does. */
    static boolean served;
    static final byte[] IMAGE = RbdData.bytes(4 * MIB, 21);

    @BeforeAll
    static void start() throws Exception {
        templates = new TemplateSource(dir, "/flow.raw", IMAGE, Duration.ZERO);
        cloud = OneHostCloud.start(dir);
        List<String> apis = list(cloud.admin(), "listApis", "api").stream().map(api -> api.path("name").asText())
                .toList();
        served = apis.contains("deployVirtualMachine") && apis.contains("createNetwork");
        assumeTrue(served, "the server has no VM and network commands yet");
        cloud.createdRbdPool("uivm-flow-pool", cloud.ceph.limitedUser(), "zone");
        ok(cloud.admin().call("updateConfiguration", "name", "guest.network.device", "value", BRIDGE),
                "updateConfiguration");
        ok(cloud.admin().call("updateConfiguration", "name", "vm.stop.timeout.seconds", "value", "3"),
                "updateConfiguration");
        String template = ok(cloud.admin().call("registerTemplate", "name", "uivm-flow-tmpl", "url",
                templates.url("/flow.raw"), "zoneid", cloud.zoneId, "format", "RAW", "hypervisor", "KVM"),
                "registerTemplate").get("template").get(0).get("id").asText();
        Deadline.await("template imported", Duration.ofSeconds(120), () -> list(cloud.admin(), "listTemplates",
                "template", "templatefilter", "all", "id", template).get(0).get("isready").asBoolean());
        ok(cloud.admin().call("createServiceOffering", "name", "uivm-flow-small", "cpunumber", "1", "cpuspeed", "500",
                "memory", "256"), "createServiceOffering");
        awaitOk(cloud.admin(), cloud.admin().call("createVolume", "name", DISK, "zoneid", cloud.zoneId, "size", "1"),
                "createVolume");
        chromium = new Chromium(1280, 800);
        chromium.logIn("http://127.0.0.1:" + cloud.server.server.httpPort(), "admin", TestServer.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
            if (served) {
                removeWhatTheTestsMade();
            }
        } finally {
            try {
                if (cloud != null) {
                    cloud.close();
                }
            } finally {
                if (templates != null) {
                    templates.close();
                }
                if (java.nio.file.Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                    io.rbdstack.agent.fixtures.Guests.run("ip", "link", "del", BRIDGE);
                }
            }
        }
    }

    /** VMs (their root volumes with them) and templates: what a failed run may leave in the pool. */
    static void removeWhatTheTestsMade() throws Exception {
        for (JsonNode vm : list(cloud.admin(), "listVirtualMachines", "virtualmachine", "listall", "true")) {
            awaitOk(cloud.admin(), cloud.admin().call("destroyVirtualMachine", "id", vm.get("id").asText(),
                    "expunge", "true"), "destroyVirtualMachine");
        }
        for (JsonNode template : list(cloud.admin(), "listTemplates", "template", "templatefilter", "all")) {
            cloud.admin().call("deleteTemplate", "id", template.get("id").asText());
        }
    }

    static JsonNode vm() throws Exception {
        return list(cloud.admin(), "listVirtualMachines", "virtualmachine", "name", VM).get(0);
    }

    @Test
    @Order(1)
    void aNetworkIsCreatedAfterTheServerRefusedItsRangeUnderTheField() throws Exception {
        chromium.menu("Networks");
        chromium.click(By.id("create-network"));
        // V17 seeds a dual-stack offering beside the IPv4 one: the form preselects only a lone offering.
        chromium.choose("new-network-networkofferingid", "DefaultSharedNetworkOffering");
        chromium.type("new-network-name", NETWORK);
        chromium.type("new-network-gateway", "192.168.150.1");
        chromium.type("new-network-netmask", "255.255.255.0");
        chromium.type("new-network-startip", "10.9.9.10");
        chromium.click(By.id("new-network-ok"));
        String refused = chromium.visible(Chromium.errorUnder("new-network-startip")).getText();
        assertTrue(refused.contains("startip"), refused);

        chromium.type("new-network-startip", "192.168.150.10");
        chromium.type("new-network-endip", "192.168.150.20");
        chromium.type("new-network-dns1", "192.168.150.1");
        chromium.click(By.id("new-network-ok"));
        chromium.visible(Chromium.rowAction("network", NETWORK, "edit"));
        JsonNode network = list(cloud.admin(), "listNetworks", "network", "listall", "true").get(0);
        assertEquals(NETWORK, network.get("name").asText());
        assertEquals("192.168.150.0/24", network.get("cidr").asText());
        chromium.screenshot("networks");
    }

    @Test
    @Order(2)
    void aVmIsDeployedStoppedWithItsNicShownInTheList() throws Exception {
        chromium.menu("Virtual machines");
        chromium.click(By.id("deploy-vm"));
        chromium.await().until(d -> d.findElement(By.xpath("//*[@id='deploy-zone']/ancestor::div[contains(@class,"
                + "'ant-select')][1]")).getText().contains("ceph-zone"));
        chromium.choose("deploy-template", "uivm-flow-tmpl");
        chromium.choose("deploy-offering", "uivm-flow-small");
        chromium.choose("deploy-networks", NETWORK);
        // The networks' list stays open for more choices: a click on the dialog's title closes it.
        chromium.click(By.xpath("//div[contains(@class,'ant-modal-title')][normalize-space()='Deploy a VM']"));
        chromium.type("deploy-name", "1-not-a-hostname");
        chromium.click(By.xpath("//label[.//input[@id='deploy-startvm']]"));
        chromium.click(By.id("deploy-ok"));
        assertTrue(chromium.visible(Chromium.errorUnder("deploy-name")).getText().contains("hostname"));
        chromium.screenshot("deploy-vm");

        chromium.type("deploy-name", VM);
        chromium.click(By.id("deploy-ok"));
        chromium.waitForText(By.cssSelector("[data-state='" + VM + "']"), "Stopped", Duration.ofSeconds(60));
        JsonNode vm = vm();
        JsonNode nic = vm.get("nic").get(0);
        String row = chromium.visible(By.xpath("//tr[.//*[@data-vm='" + VM + "']]")).getText();
        assertTrue(row.contains(nic.get("ipaddress").asText()) && row.contains(nic.get("macaddress").asText()), row);
        assertTrue(nic.get("ipaddress").asText().startsWith("192.168.150."), nic.toString());
        chromium.visible(Chromium.rowAction("vm", VM, "start"));
        assertTrue(chromium.driver.findElements(Chromium.rowAction("vm", VM, "stop")).isEmpty(), "no Stop when Stopped");
        chromium.screenshot("vms");
    }

    @Test
    @Order(3)
    void aDataDiskIsAttachedAndDetachedOnTheVmsPage() throws Exception {
        chromium.click(By.linkText(VM));
        chromium.click(By.id("attach-disk"));
        chromium.choose("attach-volume", DISK);
        chromium.click(By.id("attach-ok"));
        chromium.visible(By.cssSelector("[data-detach='" + DISK + "']"));
        JsonNode disk = list(cloud.admin(), "listVolumes", "volume", "name", DISK).get(0);
        assertEquals(vm().get("id").asText(), disk.get("virtualmachineid").asText());
        chromium.screenshot("vm");

        chromium.confirmVia(By.cssSelector("[data-detach='" + DISK + "']"), "Detach");
        chromium.await().until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("[data-detach='" + DISK + "']")));
        assertTrue(list(cloud.admin(), "listVolumes", "volume", "name", DISK).get(0).path("virtualmachineid")
                .isMissingNode());
    }

    @Test
    @Order(4)
    void theVmIsStartedAndStoppedFromItsRow() throws Exception {
        chromium.menu("Virtual machines");
        chromium.click(Chromium.rowAction("vm", VM, "start"));
        chromium.waitForText(By.cssSelector("[data-state='" + VM + "']"), "Running", Duration.ofSeconds(90));
        assertEquals("Running", vm().get("state").asText());
        assertTrue(chromium.driver.findElements(Chromium.rowAction("vm", VM, "start")).isEmpty(),
                "no Start when Running");

        chromium.confirmVia(Chromium.rowAction("vm", VM, "stop"), "Stop");
        chromium.waitForText(By.cssSelector("[data-state='" + VM + "']"), "Stopped", Duration.ofSeconds(60));
        assertEquals("Stopped", vm().get("state").asText());
        chromium.visible(Chromium.rowAction("vm", VM, "start"));
    }

    @Test
    @Order(5)
    void theNetworkIsNotDeletedWhileTheVmHasANicOnItAndTheDialogNamesTheVm() throws Exception {
        chromium.menu("Networks");
        chromium.click(Chromium.rowAction("network", NETWORK, "delete"));
        chromium.click(By.id("delete-network-ok"));
        String refused = chromium.visible(By.id("delete-network-error")).getText();
        assertTrue(refused.contains(VM), refused);
        assertEquals(1, list(cloud.admin(), "listNetworks", "network", "listall", "true").size());
        chromium.click(By.xpath("//div[contains(@class,'ant-modal')][.//*[@id='delete-network-ok']]"
                + "//button[contains(@class,'ant-modal-close')]"));
    }

    @Test
    @Order(6)
    void theVmIsDestroyedAndExpungedThenTheNetworkGoes() throws Exception {
        chromium.menu("Virtual machines");
        chromium.click(Chromium.rowAction("vm", VM, "destroy"));
        chromium.click(By.xpath("//label[.//input[@id='destroy-vm-option']]"));
        chromium.click(By.id("destroy-vm-ok"));
        chromium.await().withTimeout(Duration.ofSeconds(60)).until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("[data-vm='" + VM + "']")));
        assertTrue(list(cloud.admin(), "listVirtualMachines", "virtualmachine", "name", VM).isEmpty());

        chromium.menu("Networks");
        chromium.click(Chromium.rowAction("network", NETWORK, "delete"));
        chromium.click(By.id("delete-network-ok"));
        chromium.await().withTimeout(Duration.ofSeconds(30)).until(ExpectedConditions.invisibilityOfElementLocated(
                Chromium.rowAction("network", NETWORK, "delete")));
        assertEquals(List.of(), list(cloud.admin(), "listNetworks", "network", "listall", "true"));
    }
}
