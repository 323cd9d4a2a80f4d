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

/**
 * The web UI end to end, as an admin uses it: headless chromium against the real management server
 * (which serves the UI from its class path), with this machine's real agent, libvirtd and Ceph. The
 * steps build on each other, in order. Each main page is saved as a screenshot (Chromium.SCREENSHOTS; the README shows them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiIT {

    /** A well-formed cephx key that is not the user's: Ceph refuses it. */
    static final String FORGED_KEY = "AQBUxJtlAAAAABAAx5ESM9mE6rdRvQpq0y5n1w==";
    static final String POOL_NAME = "ceph-rbd";
    static final String VOLUME_NAME = "ui-vol";
    static String volumeId;
    static String snapshotName;

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

    @Test
    @Order(1)
    void theRootLeadsToTheLoginPageAndTheAdminLogsIn() throws Exception {
        chromium.driver.get(origin + "/");
        chromium.visible(By.id("username"));
        assertEquals(origin + "/client/login", chromium.driver.getCurrentUrl());
        chromium.screenshot("login");

        chromium.type("username", "admin");
        chromium.type("password", "not-the-password");
        chromium.driver.findElement(By.id("login-submit")).click();
        assertTrue(chromium.visible(By.id("login-error")).getText().length() > 0, "a refused login says so");

        chromium.type("password", TestServer.ADMIN_PASSWORD);
        chromium.driver.findElement(By.id("password")).sendKeys(Keys.ENTER);
        WebElement hosts = chromium.visible(By.id("hosts-card"));
        chromium.await().until(d -> hosts.getText().contains("Up"));
        assertEquals(origin + "/client/", chromium.driver.getCurrentUrl());
    }

    @Test
    @Order(2)
    void theDashboardCountsTheUpHost() {
        WebElement hosts = chromium.visible(By.id("hosts-card"));
        // "Up" then the count 1, "Not up" then 0.
        chromium.await().until(d -> hosts.getText().replaceAll("\\s+", " ").contains("Up 1 Not up 0"));
        WebElement capacity = chromium.visible(By.id("capacity-card"));
        chromium.await().until(d -> capacity.getText().contains("No capacity yet"));
    }

    @Test
    @Order(3)
    void theWizardShowsCephsRefusalOfAWrongSecretAtTheSecretField() throws Exception {
        chromium.menu("Primary storage");
        chromium.click(By.id("add-storage"));
        // The one zone is chosen by itself.
        chromium.await().until(d -> d.findElement(By.xpath("//*[@id='zone']/ancestor::div[contains(@class,'ant-select')][1]"))
                .getText().contains("ceph-zone"));
        chromium.type("monitor-host-0", cloud.ceph.monHost());
        chromium.type("monitor-port-0", String.valueOf(cloud.ceph.monV1Port()));
        chromium.type("ceph-pool", cloud.ceph.pool());
        chromium.type("ceph-user", cloud.ceph.limitedUser().id());
        chromium.type("secret", FORGED_KEY);
        chromium.type("pool-name", POOL_NAME);
        chromium.driver.findElement(By.id("create-pool")).click();

        String error = chromium.visible(Chromium.errorUnder("secret")).getText();
        assertTrue(error.startsWith("Ceph refused the user or key"), error);
        assertFalse(error.contains(FORGED_KEY), "the secret is never shown back");
        assertEquals("secret", chromium.driver.switchTo().activeElement().getAttribute("id"),
                "the focus is on the field at fault");
        assertEquals(0, OneHostCloud.list(cloud.admin(), "listStoragePools", "storagepool").size(), "nothing saved");
        chromium.screenshot("add-primary-storage-error");
    }

    @Test
    @Order(4)
    void theRightSecretInTheUrlSafeAlphabetAddsThePoolAndItsCapacityBarShows() throws Exception {
        // The key as some tools print it: URL-safe base64 without padding. The UI passes it on untouched.
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(
                Base64.getDecoder().decode(cloud.ceph.limitedUser().key()));
        chromium.type("secret", urlSafe);
        chromium.driver.findElement(By.id("create-pool")).click();

        WebElement bars = chromium.visible(By.cssSelector(".bars[data-pool='" + POOL_NAME + "']"));
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
        chromium.screenshot("primary-storage");
    }

    @Test
    @Order(5)
    void theDashboardShowsTheZonesCapacityAndTheEventOfThePool() throws Exception {
        chromium.menu("Dashboard");
        WebElement capacity = chromium.visible(By.id("capacity-card"));
        chromium.await().until(d -> capacity.getText().contains("ceph-zone") && capacity.getText().contains("Primary storage used"));
        WebElement events = chromium.visible(By.id("events-card"));
        chromium.await().until(d -> events.getText().contains("STORAGE.POOL.CREATE"));
        chromium.screenshot("dashboard");
    }

    @Test
    @Order(6)
    void aVolumeIsCreatedFromTheVolumesPage() throws Exception {
        chromium.menu("Volumes");
        chromium.click(By.id("create-volume"));
        chromium.type("volume-name", VOLUME_NAME);
        // The one zone is chosen by itself; the size stays at 1 GiB.
        chromium.await().until(d -> d.findElement(By.xpath("//*[@id='volume-zone']/ancestor::div[contains(@class,'ant-select')][1]"))
                .getText().contains("ceph-zone"));
        chromium.click(By.id("create-volume-ok"));
        chromium.visible(By.linkText(VOLUME_NAME));
        List<JsonNode> volumes = OneHostCloud.list(cloud.admin(), "listVolumes", "volume", "listall", "true");
        assertEquals(1, volumes.size());
        assertEquals(VOLUME_NAME, volumes.get(0).get("name").asText());
        assertEquals(1L << 30, volumes.get(0).get("size").asLong());
        volumeId = volumes.get(0).get("id").asText();
        chromium.screenshot("volumes");
    }

    @Test
    @Order(7)
    void aSnapshotIsTakenAndBackedUpWhileItsProgressBarGoesTo100() throws Exception {
        // Data for the backup to copy, so that it has bytes to count.
        RbdData.write(cloud.cephAdmin().ioCtx(), volumeId, 0, RbdData.bytes(32 << 20, 7));
        addImageStore();
        chromium.click(By.linkText(VOLUME_NAME));
        chromium.click(By.id("take-snapshot"));
        chromium.await().until(d -> !snapshotsOfTheVolume().isEmpty());
        snapshotName = snapshotsOfTheVolume().get(0).get("name").asText();
        chromium.visible(By.cssSelector("[data-snapshot='" + snapshotName + "']"));
        chromium.click(By.cssSelector("[data-snapshot='" + snapshotName + "'] [data-action='backup']"));

        By bar = By.cssSelector("[data-backup='" + snapshotName + "'] [role='progressbar']");
        chromium.await().until(d -> "100".equals(d.findElement(bar).getAttribute("aria-valuenow")));
        chromium.waitForText(By.xpath("//tr[.//*[@data-snapshot='" + snapshotName + "']]"), "BackedUp",
                Duration.ofSeconds(20));
        JsonNode snapshot = snapshotsOfTheVolume().get(0);
        assertEquals("BackedUp", snapshot.get("state").asText());
        assertTrue(chromium.driver.findElement(By.cssSelector("[data-backup='" + snapshotName + "']")).getText()
                .contains("of "), "the bar says how many bytes were copied");
        chromium.screenshot("snapshots");
    }

    @Test
    @Order(8)
    void theVolumeIsRevertedToTheSnapshotAfterConfirmation() {
        chromium.confirmVia(By.cssSelector("[data-snapshot='" + snapshotName + "'] [data-action='revert']"), "Revert");
        chromium.visible(By.xpath("//*[contains(@class,'ant-message')]//*[contains(., 'reverted to " + snapshotName + "')]"));
    }

    @Test
    @Order(9)
    void theSnapshotIsDeletedAfterConfirmation() throws Exception {
        chromium.confirmVia(By.cssSelector("[data-snapshot='" + snapshotName + "'] [data-action='delete']"), "Delete");
        WebElement table = chromium.visible(By.id("snapshots"));
        chromium.await().until(d -> table.getText().contains("No snapshots of this volume yet."));
        assertTrue(snapshotsOfTheVolume().isEmpty());
    }

    @Test
    @Order(10)
    void eachActionIsOnTheEventsPage() throws Exception {
        chromium.menu("Events");
        for (String type : List.of("STORAGE.POOL.CREATE", "VOLUME.CREATE", "SNAPSHOT.CREATE", "SNAPSHOT.BACKUP",
                "SNAPSHOT.REVERT", "SNAPSHOT.DELETE")) {
            chromium.type("event-keyword", type);
            chromium.driver.findElement(By.id("event-keyword")).sendKeys(Keys.ENTER);
            WebElement table = chromium.visible(By.id("events"));
            chromium.await().until(d -> table.findElements(By.cssSelector("tbody tr.ant-table-row")).size() > 0
                    && table.findElements(By.cssSelector("tbody tr.ant-table-row")).stream()
                    .allMatch(r -> r.getText().contains(type)));
            assertTrue(table.getText().contains("Completed"), type + ": " + table.getText());
        }
        chromium.type("event-keyword", "");
        chromium.driver.findElement(By.id("event-keyword")).sendKeys(Keys.ENTER);
        chromium.screenshot("events");
    }

    @Test
    @Order(11)
    void onANarrowScreenTheNavigationFoldsAwayAndTheToggleBringsItBack() throws Exception {
        chromium.driver.manage().window().setSize(new Dimension(420, 860));
        try {
            chromium.driver.get(origin + "/client/storage");
            chromium.visible(By.cssSelector(".bars[data-pool='" + POOL_NAME + "']"));
            WebElement sider = chromium.driver.findElement(By.cssSelector(".ant-layout-sider"));
            chromium.await().until(d -> sider.getAttribute("class").contains("ant-layout-sider-collapsed"));
            chromium.screenshot("primary-storage-narrow");
            WebElement toggle = chromium.driver.findElement(By.cssSelector("button[aria-label='Show or hide the navigation']"));
            assertEquals("false", toggle.getAttribute("aria-expanded"));
            toggle.click();
            chromium.await().until(d -> !sider.getAttribute("class").contains("ant-layout-sider-collapsed"));
            assertTrue(chromium.visible(By.xpath("//li[contains(@class,'ant-menu-item')][contains(., 'Volumes')]")).isDisplayed());
        } finally {
            chromium.driver.manage().window().setSize(new Dimension(1280, 800));
        }
    }

    @Test
    @Order(12)
    void theFirstTabReachesTheSkipLinkWhichMovesTheFocusToTheContent() {
        chromium.driver.get(origin + "/client/events");
        chromium.visible(By.id("events"));
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
        chromium.visible(By.id("username"));
        chromium.driver.get(origin + "/client/storage");
        chromium.visible(By.id("username"));
        assertTrue(chromium.driver.getCurrentUrl().startsWith(origin + "/client/login"), chromium.driver.getCurrentUrl());
    }

    @Test
    @Order(21)
    void aMissingUiFileIsNotFoundWhileAnUnknownRouteShowsTheAppsOwnPage() throws Exception {
        assertTrue(Files.isDirectory(Chromium.SCREENSHOTS), "screenshots were saved");
        chromium.driver.get(origin + "/client/assets/no-such-file.js");
        assertFalse(chromium.driver.getPageSource().contains("id=\"app\""));
    }
}
