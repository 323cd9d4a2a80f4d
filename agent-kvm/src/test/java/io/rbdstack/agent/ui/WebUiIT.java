package io.rbdstack.agent.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI end to end, as an admin uses it: headless chromium against the real management server
 * (which serves the UI from its class path), with this machine's real agent, libvirtd and Ceph. The
 * steps build on each other, in order. Each main page is saved to docs/screenshots/ for the README.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {

    /** A well-formed cephx key that is not the user's: Ceph refuses it. */
    static final String FORGED_KEY = "AQBUxJtlAAAAABAAx5ESM9mE6rdRvQpq0y5n1w==";
    static final String POOL_NAME = "ceph-rbd";
    static final String VOLUME_NAME = "ui-vol";
    static String volumeId;
    static String snapshotName;
    /** The repository's docs/screenshots (the ITs run in agent-kvm/). */
    static final Path SCREENSHOTS = Path.of("").toAbsolutePath().getParent().resolve("docs/screenshots");

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static Chromium chromium;
    static String origin;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        origin = "http://127.0.0.1:" + cloud.server.server.httpPort();
        chromium = new Chromium(1280, 800);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (cloud != null) {
                cloud.close();
            }
        }
    }

    static void menu(String entry) {
        visible(By.xpath("//li[contains(@class,'ant-menu-item')][contains(., '" + entry + "')]")).click();
    }

    /** Clicks the button of the open confirmation pop-over. */
    static void confirm(String button) {
        visible(By.xpath("//div[contains(@class,'ant-popover') and not(contains(@class,'ant-popover-hidden'))]"
                + "//button[normalize-space()='" + button + "']")).click();
    }

    /** The volume's snapshots, as the API lists them. */
    static List<JsonNode> snapshotsOfTheVolume() {
        try {
            return OneHostCloud.list(cloud.admin(), "listSnapshots", "snapshot", "volumeid", volumeId);
        } catch (Exception e) {
            throw new IllegalStateException("listSnapshots failed", e);
        }
    }

    static void addImageStore() throws Exception {
        Path store = Files.createDirectories(dir.resolve("image-store"));
        OneHostCloud.ok(cloud.admin().call("addImageStore", "provider", "SharedMountPoint", "name", "backups", "url",
                store.toUri().toString(), "zoneid", cloud.zoneId), "addImageStore");
    }

    static WebDriverWait await() {
        return new WebDriverWait(chromium.driver, Duration.ofSeconds(20));
    }

    static WebElement visible(By by) {
        return await().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    static void type(String id, String text) {
        WebElement field = visible(By.id(id));
        // Select all and type over it: Vue's v-model hears the keystrokes, as it would a person's.
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
    }

    /** The error text antd shows under the form item that holds the element with this id. */
    static By errorUnder(String id) {
        return By.xpath("//*[@id='" + id + "']/ancestor::div[contains(concat(' ', normalize-space(@class), ' '),"
                + " ' ant-form-item ')][1]//div[contains(@class, 'ant-form-item-explain-error')]");
    }

    static void screenshot(String name) throws Exception {
        chromium.screenshot(SCREENSHOTS.resolve(name + ".png"));
    }

    @Test
    @Order(1)
    void theRootLeadsToTheLoginPageAndTheAdminLogsIn() throws Exception {
        chromium.driver.get(origin + "/");
        visible(By.id("username"));
        assertEquals(origin + "/client/login", chromium.driver.getCurrentUrl());
        screenshot("login");

        type("username", "admin");
        type("password", "not-the-password");
        chromium.driver.findElement(By.id("login-submit")).click();
        assertTrue(visible(By.id("login-error")).getText().length() > 0, "a refused login says so");

        type("password", TestServer.ADMIN_PASSWORD);
        chromium.driver.findElement(By.id("password")).sendKeys(Keys.ENTER);
        WebElement hosts = visible(By.id("hosts-card"));
        await().until(d -> hosts.getText().contains("Up"));
        assertEquals(origin + "/client/", chromium.driver.getCurrentUrl());
    }

    @Test
    @Order(2)
    void theDashboardCountsTheUpHost() {
        WebElement hosts = visible(By.id("hosts-card"));
        // "Up" then the count 1, "Not up" then 0.
        await().until(d -> hosts.getText().replaceAll("\\s+", " ").contains("Up 1 Not up 0"));
        WebElement capacity = visible(By.id("capacity-card"));
        await().until(d -> capacity.getText().contains("No capacity yet"));
    }

    @Test
    @Order(3)
    void theWizardShowsCephsRefusalOfAWrongSecretAtTheSecretField() throws Exception {
        menu("Primary storage");
        visible(By.id("add-storage")).click();
        // The one zone is chosen by itself.
        await().until(d -> d.findElement(By.xpath("//*[@id='zone']/ancestor::div[contains(@class,'ant-select')][1]"))
                .getText().contains("ceph-zone"));
        type("monitor-host-0", cloud.ceph.monHost());
        type("monitor-port-0", String.valueOf(cloud.ceph.monV1Port()));
        type("ceph-pool", cloud.ceph.pool());
        type("ceph-user", cloud.ceph.limitedUser().id());
        type("secret", FORGED_KEY);
        type("pool-name", POOL_NAME);
        chromium.driver.findElement(By.id("create-pool")).click();

        String error = visible(errorUnder("secret")).getText();
        assertTrue(error.startsWith("Ceph refused the user or key"), error);
        assertFalse(error.contains(FORGED_KEY), "the secret is never shown back");
        assertEquals("secret", chromium.driver.switchTo().activeElement().getAttribute("id"),
                "the focus is on the field at fault");
        assertEquals(0, OneHostCloud.list(cloud.admin(), "listStoragePools", "storagepool").size(), "nothing saved");
        screenshot("add-primary-storage-error");
    }

    @Test
    @Order(4)
    void theRightSecretInTheUrlSafeAlphabetAddsThePoolAndItsCapacityBarShows() throws Exception {
        // The key as some tools print it: URL-safe base64 without padding. The UI passes it on untouched.
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Base64.getDecoder().decode(cloud.ceph.limitedUser().key()));
        type("secret", urlSafe);
        chromium.driver.findElement(By.id("create-pool")).click();

        WebElement bars = visible(By.cssSelector(".bars[data-pool='" + POOL_NAME + "']"));
        assertTrue(chromium.driver.getCurrentUrl().startsWith(origin + "/client/storage?added="),
                chromium.driver.getCurrentUrl());
        List<JsonNode> pools = OneHostCloud.list(cloud.admin(), "listStoragePools", "storagepool");
        assertEquals(1, pools.size());
        JsonNode pool = pools.get(0);
        assertEquals("Up", pool.get("state").asText());
        long total = pool.get("disksizetotal").asLong();
        long used = pool.get("disksizeused").asLong();
        assertTrue(total > 0, pool.toString());
        WebElement usedBar = bars.findElement(By.cssSelector("[role='progressbar'][aria-label='Used']"));
        assertEquals(String.valueOf(Math.round(used * 100.0 / total)), usedBar.getAttribute("aria-valuenow"));
        assertTrue(bars.getText().contains("Used") && bars.getText().contains("Allocated"), bars.getText());
        assertFalse(bars.getText().contains("of 0 B"), "the total is Ceph's: " + bars.getText());
        screenshot("primary-storage");
    }

    @Test
    @Order(5)
    void theDashboardShowsTheZonesCapacityAndTheEventOfThePool() throws Exception {
        menu("Dashboard");
        WebElement capacity = visible(By.id("capacity-card"));
        await().until(d -> capacity.getText().contains("ceph-zone") && capacity.getText().contains("Primary storage used"));
        WebElement events = visible(By.id("events-card"));
        await().until(d -> events.getText().contains("STORAGE.POOL.CREATE"));
        screenshot("dashboard");
    }

    @Test
    @Order(6)
    void aVolumeIsCreatedFromTheVolumesPage() throws Exception {
        menu("Volumes");
        visible(By.id("create-volume")).click();
        type("volume-name", VOLUME_NAME);
        // The one zone is chosen by itself; the size stays at 1 GiB.
        await().until(d -> d.findElement(By.xpath("//*[@id='volume-zone']/ancestor::div[contains(@class,'ant-select')][1]"))
                .getText().contains("ceph-zone"));
        visible(By.id("create-volume-ok")).click();
        visible(By.linkText(VOLUME_NAME));
        List<JsonNode> volumes = OneHostCloud.list(cloud.admin(), "listVolumes", "volume", "listall", "true");
        assertEquals(1, volumes.size());
        assertEquals(VOLUME_NAME, volumes.get(0).get("name").asText());
        assertEquals(1L << 30, volumes.get(0).get("size").asLong());
        volumeId = volumes.get(0).get("id").asText();
        screenshot("volumes");
    }

    @Test
    @Order(7)
    void aSnapshotIsTakenAndBackedUpWhileItsProgressBarGoesTo100() throws Exception {
        // Data for the backup to copy, so that it has bytes to count.
        RbdData.write(cloud.cephAdmin().ioCtx(), volumeId, 0, RbdData.bytes(32 << 20, 7));
        addImageStore();
        visible(By.linkText(VOLUME_NAME)).click();
        visible(By.id("take-snapshot")).click();
        await().until(d -> !snapshotsOfTheVolume().isEmpty());
        snapshotName = snapshotsOfTheVolume().get(0).get("name").asText();
        visible(By.cssSelector("[data-snapshot='" + snapshotName + "']"));
        visible(By.cssSelector("[data-snapshot='" + snapshotName + "'] [data-action='backup']")).click();

        By bar = By.cssSelector("[data-backup='" + snapshotName + "'] [role='progressbar']");
        await().until(d -> "100".equals(d.findElement(bar).getAttribute("aria-valuenow")));
        WebElement row = chromium.driver.findElement(By.xpath("//tr[.//*[@data-snapshot='" + snapshotName + "']]"));
        await().until(d -> row.getText().contains("BackedUp"));
        JsonNode snapshot = snapshotsOfTheVolume().get(0);
        assertEquals("BackedUp", snapshot.get("state").asText());
        assertTrue(chromium.driver.findElement(By.cssSelector("[data-backup='" + snapshotName + "']")).getText()
                .contains("of "), "the bar says how many bytes were copied");
        screenshot("snapshots");
    }

    @Test
    @Order(8)
    void theVolumeIsRevertedToTheSnapshotAfterConfirmation() {
        visible(By.cssSelector("[data-snapshot='" + snapshotName + "'] [data-action='revert']")).click();
        confirm("Revert");
        visible(By.xpath("//*[contains(@class,'ant-message')]//*[contains(., 'reverted to " + snapshotName + "')]"));
    }

    @Test
    @Order(9)
    void theSnapshotIsDeletedAfterConfirmation() throws Exception {
        visible(By.cssSelector("[data-snapshot='" + snapshotName + "'] [data-action='delete']")).click();
        confirm("Delete");
        WebElement table = visible(By.id("snapshots"));
        await().until(d -> table.getText().contains("No snapshots of this volume yet."));
        assertTrue(snapshotsOfTheVolume().isEmpty());
    }

    @Test
    @Order(10)
    void eachActionIsOnTheEventsPage() throws Exception {
        menu("Events");
        for (String type : List.of("STORAGE.POOL.CREATE", "VOLUME.CREATE", "SNAPSHOT.CREATE", "SNAPSHOT.BACKUP",
                "SNAPSHOT.REVERT", "SNAPSHOT.DELETE")) {
            type("event-keyword", type);
            chromium.driver.findElement(By.id("event-keyword")).sendKeys(Keys.ENTER);
            WebElement table = visible(By.id("events"));
            await().until(d -> table.findElements(By.cssSelector("tbody tr.ant-table-row")).size() > 0
                    && table.findElements(By.cssSelector("tbody tr.ant-table-row")).stream()
                    .allMatch(r -> r.getText().contains(type)));
            assertTrue(table.getText().contains("Completed"), type + ": " + table.getText());
        }
        type("event-keyword", "");
        chromium.driver.findElement(By.id("event-keyword")).sendKeys(Keys.ENTER);
        screenshot("events");
    }

    @Test
    @Order(11)
    void onANarrowScreenTheNavigationFoldsAwayAndTheToggleBringsItBack() throws Exception {
        chromium.driver.manage().window().setSize(new Dimension(420, 860));
        try {
            chromium.driver.get(origin + "/client/storage");
            visible(By.cssSelector(".bars[data-pool='" + POOL_NAME + "']"));
            WebElement sider = chromium.driver.findElement(By.cssSelector(".ant-layout-sider"));
            await().until(d -> sider.getAttribute("class").contains("ant-layout-sider-collapsed"));
            screenshot("primary-storage-narrow");
            WebElement toggle = chromium.driver.findElement(By.cssSelector("button[aria-label='Show or hide the navigation']"));
            assertEquals("false", toggle.getAttribute("aria-expanded"));
            toggle.click();
            await().until(d -> !sider.getAttribute("class").contains("ant-layout-sider-collapsed"));
            assertTrue(visible(By.xpath("//li[contains(@class,'ant-menu-item')][contains(., 'Volumes')]")).isDisplayed());
        } finally {
            chromium.driver.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    @Test
    @Order(12)
    void theFirstTabReachesTheSkipLinkWhichMovesTheFocusToTheContent() {
        chromium.driver.get(origin + "/client/events");
        visible(By.id("events"));
        chromium.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        WebElement focused = chromium.driver.switchTo().activeElement();
        assertEquals("Skip to content", focused.getText());
        focused.sendKeys(Keys.ENTER);
        assertEquals("main", chromium.driver.switchTo().activeElement().getAttribute("id"));
    }

    @Test
    @Order(20)
    void logoutEndsTheSessionAndLeadsBackToLogin() {
        chromium.driver.findElement(By.id("logout")).click();
        visible(By.id("username"));
        chromium.driver.get(origin + "/client/storage");
        visible(By.id("username"));
        assertTrue(chromium.driver.getCurrentUrl().startsWith(origin + "/client/login"), chromium.driver.getCurrentUrl());
    }

    @Test
    @Order(21)
    void aMissingUiFileIsNotFoundWhileAnUnknownRouteShowsTheAppsOwnPage() throws Exception {
        assertTrue(Files.isDirectory(SCREENSHOTS), "screenshots were saved");
        chromium.driver.get(origin + "/client/assets/no-such-file.js");
        assertFalse(chromium.driver.getPageSource().contains("id=\"app\""));
    }
}
