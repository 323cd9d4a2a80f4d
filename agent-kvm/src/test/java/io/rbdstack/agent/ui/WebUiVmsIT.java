package io.rbdstack.agent.ui;

import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.server.TestServer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The pages VMs are made from, end to end in headless chromium against the real server, agent and Ceph:
 * a service offering created (a refused name shown under its field), edited and deleted; a template
 * registered from an HTTP server of the test, its import followed on the page without a reload until it
 * is ready, a template with a wrong checksum shown failed with the reason, and both deleted through the
 * dialog that offers the forced flatten. Networks and VMs get their flows here once their server
 * commands exist. The steps build on each other, in order; each new page is saved as a screenshot (Chromium.SCREENSHOTS).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiVmsIT {

    static final String OFFERING = "uivm-small";
    static final String RENAMED = "uivm-medium";
    static final String TEMPLATE = "uivm-tiny";
    static final String BROKEN = "uivm-bad-sum";
    private static final int MIB = 1 << 20;

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static Chromium chromium;
    static String origin;
    static TemplateSource templates;
    /** The template the test serves, slowly enough that the page shows the import's progress. */
    static final byte[] IMAGE = RbdData.bytes(8 * MIB, 12);

    @BeforeAll
    static void start() throws Exception {
        templates = new TemplateSource(dir, "/tiny.raw", IMAGE, Duration.ofMillis(800));
        cloud = OneHostCloud.start(dir);
        origin = "http://127.0.0.1:" + cloud.server.server.httpPort();
        cloud.createdRbdPool("uivm-pool", cloud.ceph.limitedUser(), "zone");
        chromium = new Chromium(1280, 800);
        chromium.logIn(origin, "admin", TestServer.ADMIN_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            try {
                if (cloud != null) {
                    for (JsonNode template : list(cloud.admin(), "listTemplates", "template", "templatefilter", "all")) {
                        cloud.admin().call("deleteTemplate", "id", template.get("id").asText());
                    }
                    cloud.close();
                }
            } finally {
                if (templates != null) {
                    templates.close();
                }
            }
        }
    }

    static By action(String kind, String name, String action) {
        return Chromium.rowAction(kind, name, action);
    }

    static void waitForText(By by, String text, Duration within) {
        chromium.waitForText(by, text, within);
    }

    static List<JsonNode> offerings(String name) throws Exception {
        return list(cloud.admin(), "listServiceOfferings", "serviceoffering", "name", name);
    }

    /** The templates of that name (unchecked, for waits). */
    static List<JsonNode> templates(String name) {
        try {
            return list(cloud.admin(), "listTemplates", "template", "templatefilter", "all", "name", name);
        } catch (Exception e) {
            throw new IllegalStateException("listTemplates failed", e);
        }
    }

    @Test
    @Order(1)
    void aServiceOfferingIsCreatedAfterTheServerRefusedItsNameUnderTheField() throws Exception {
        chromium.menu("Service offerings");
        chromium.click(By.id("create-service-offering"));
        chromium.type("so-name", "x".repeat(300));
        chromium.type("so-cpunumber", "2");
        chromium.type("so-memory", "2048");
        chromium.visible(By.id("so-tags")).sendKeys("gold", Keys.ENTER);
        chromium.click(By.id("service-offering-ok"));
        String refused = chromium.visible(Chromium.errorUnder("so-name")).getText();
        assertTrue(refused.contains("name"), refused);
        assertEquals("so-name", chromium.driver.switchTo().activeElement().getAttribute("id"), "the focus moved there");

        chromium.type("so-name", OFFERING);
        chromium.click(By.id("service-offering-ok"));
        chromium.visible(action("service-offering", OFFERING, "edit"));
        JsonNode offering = offerings(OFFERING).get(0);
        assertEquals(2, offering.get("cpunumber").asInt());
        assertEquals(1000, offering.get("cpuspeed").asInt());
        assertEquals(2048, offering.get("memory").asInt());
        assertEquals("gold", offering.get("storagetags").asText());
        assertTrue(chromium.visible(By.xpath("//tr[.//*[@data-service-offering='" + OFFERING + "']]")).getText()
                .contains("2 CPUs × 1000 MHz · 2048 MiB"));
        chromium.screenshot("service-offerings");
    }

    @Test
    @Order(2)
    void theOfferingIsRenamedAndGetsAHostTag() throws Exception {
        chromium.click(action("service-offering", OFFERING, "edit"));
        chromium.type("so-name", RENAMED);
        chromium.visible(By.id("so-hosttags")).sendKeys("fast", Keys.ENTER);
        chromium.click(By.id("service-offering-ok"));
        chromium.visible(action("service-offering", RENAMED, "edit"));
        JsonNode offering = offerings(RENAMED).get(0);
        assertEquals("fast", offering.get("hosttags").asText());
        assertEquals("gold", offering.get("storagetags").asText(), "the storage tags stay");
        assertEquals(2048, offering.get("memory").asInt(), "the size stays");
    }

    @Test
    @Order(3)
    void theOfferingIsDeletedAfterAConfirmation() throws Exception {
        chromium.confirmVia(action("service-offering", RENAMED, "delete"), "Delete");
        chromium.await().until(ExpectedConditions.invisibilityOfElementLocated(
                action("service-offering", RENAMED, "delete")));
        assertTrue(offerings(RENAMED).isEmpty());
        waitForText(By.id("service-offerings"), "No service offerings yet", Duration.ofSeconds(10));
    }

    @Test
    @Order(4)
    void aRegisteredTemplateShowsItsImportProgressWithoutAReloadUntilItIsReady() throws Exception {
        chromium.menu("Templates");
        register(TEMPLATE, templates.url("/tiny.raw"),
                "{SHA-256}" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(IMAGE)));
        By status = By.cssSelector("[data-import='" + TEMPLATE + "']");
        waitForText(status, "% Downloaded", Duration.ofSeconds(30));
        assertTrue(chromium.driver.findElement(status).findElements(By.cssSelector(".ant-progress")).size() == 1,
                "a progress bar while it downloads");
        chromium.screenshot("templates-importing");
        waitForText(status, "Ready", Duration.ofSeconds(120));
        JsonNode template = templates(TEMPLATE).get(0);
        assertTrue(template.get("isready").asBoolean(), template.toString());
        assertEquals(IMAGE.length, template.get("size").asLong());
        assertEquals("RAW", template.get("format").asText());
    }

    @Test
    @Order(5)
    void aTemplateWithAWrongChecksumShowsFailedWithTheReason() throws Exception {
        register(BROKEN, templates.url("/tiny.raw"), "{SHA-256}" + "0".repeat(64));
        By status = By.cssSelector("[data-import='" + BROKEN + "']");
        waitForText(status, "Failed", Duration.ofSeconds(120));
        assertTrue(chromium.driver.findElement(status).getText().contains("Checksum mismatch"),
                chromium.driver.findElement(status).getText());
        chromium.screenshot("templates");
    }

    @Test
    @Order(6)
    void theTemplatesAreEditedAndDeletedThroughTheDialogThatExplainsForced() throws Exception {
        chromium.click(action("template", TEMPLATE, "edit"));
        chromium.type("edit-template-displaytext", "A tiny raw image");
        chromium.click(By.id("edit-template-ok"));
        chromium.await().until(d -> "A tiny raw image".equals(templates(TEMPLATE).get(0).get("displaytext").asText()));

        for (String name : List.of(TEMPLATE, BROKEN)) {
            chromium.click(action("template", name, "delete"));
            // antd draws its own box over the hidden input: the label is what shows.
            String forced = chromium.visible(By.xpath("//label[.//input[@id='delete-template-option']]")).getText();
            assertTrue(forced.contains("Flatten the volumes made from it"), forced);
            if (name.equals(TEMPLATE)) {
                chromium.screenshot("template-delete");
            }
            chromium.click(By.id("delete-template-ok"));
            chromium.await().until(ExpectedConditions.invisibilityOfElementLocated(action("template", name, "delete")));
            assertTrue(templates(name).isEmpty(), name + " is gone");
        }
        assertFalse(chromium.driver.findElement(By.id("templates")).getText().contains(TEMPLATE));
    }

    static void register(String name, String url, String checksum) {
        chromium.click(By.id("register-template"));
        chromium.type("template-name", name);
        // The one zone is chosen for us once the zones are loaded.
        chromium.await().until(d -> d.findElement(By.xpath("//*[@id='template-zone']/ancestor::div[contains(@class,"
                + "'ant-select')][1]")).getText().contains("ceph-zone"));
        chromium.type("template-url", url);
        chromium.choose("template-format", "RAW");
        chromium.type("template-checksum", checksum);
        chromium.click(By.id("template-ok"));
        chromium.visible(action("template", name, "edit"));
    }
}
