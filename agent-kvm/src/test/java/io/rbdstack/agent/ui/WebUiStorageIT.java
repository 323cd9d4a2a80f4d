package io.rbdstack.agent.ui;

import static io.rbdstack.agent.fixtures.OneHostCloud.awaitOk;
import static io.rbdstack.agent.fixtures.OneHostCloud.list;
import static io.rbdstack.agent.fixtures.OneHostCloud.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.agent.fixtures.RbdData;
import io.rbdstack.agent.fixtures.S3Fixture;
import io.rbdstack.server.TestServer;
import io.rbdstack.testing.RealServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The storage admin's pages end to end in headless chromium, against the real server, agent, libvirtd
 * and Ceph: a pool edited, put into maintenance and back, refused deletion while it holds a volume; a
 * disk offering; a resize followed to 100%; a snapshot policy (a bad schedule refused under its field);
 * a volume from a snapshot; NFS (nfs-ganesha) and S3 (RGW) secondary storage added after bad values were
 * refused under their fields, listed without keys, deleted; a shared mount point added; the backup chain
 * of a full and an incremental backup on it; its refused, then done, delete; the pool deleted at last. The steps build on each other, in order; each new page
 * is saved as a screenshot (Chromium.SCREENSHOTS).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiStorageIT {

    static final String POOL = "ceph-pool";
    static final String RENAMED = "ceph-gold";
    static final String VOLUME = "data-vol";
    static final String OFFERING = "gold-2g";
    static final String STORE = "nightly-backups";
    static final String NFS_STORE = "nfs-backups";
    static final String S3_STORE = "rgw-backups";

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static Chromium chromium;
    static String origin;
    static String poolId;
    static String volumeId;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        origin = "http://127.0.0.1:" + cloud.server.server.httpPort();
        poolId = cloud.createdRbdPool(POOL, cloud.ceph.limitedUser(), "zone").get("id").asText();
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
            if (cloud != null) {
                cloud.close();
            }
        }
    }

    static JsonNode pool() throws Exception {
        return list(cloud.admin(), "listStoragePools", "storagepool", "id", poolId).get(0);
    }

    static JsonNode volume(String id) throws Exception {
        return list(cloud.admin(), "listVolumes", "volume", "id", id).get(0);
    }

    static By action(String kind, String name, String action) {
        return Chromium.rowAction(kind, name, action);
    }

    static void waitForText(By by, String text) {
        chromium.waitForText(by, text, Duration.ofSeconds(20));
    }

    @Test
    @Order(1)
    void thePoolIsRenamedAndTaggedThenGoesIntoMaintenanceAndBack() throws Exception {
        chromium.menu("Primary storage");
        chromium.click(action("pool-actions", POOL, "edit"));
        chromium.type("edit-pool-name", RENAMED);
        WebElement tags = chromium.visible(By.id("edit-pool-tags"));
        tags.sendKeys("gold", Keys.ENTER);
        chromium.click(By.id("edit-pool-ok"));
        chromium.visible(action("pool-actions", RENAMED, "edit"));
        assertEquals(RENAMED, pool().get("name").asText());
        assertEquals("gold", pool().get("tags").asText());

        chromium.confirmVia(action("pool-actions", RENAMED, "maintenance"), "Start maintenance");
        waitForText(By.cssSelector("[data-state='" + RENAMED + "']"), "Maintenance");
        assertEquals("Maintenance", pool().get("state").asText());
        assertEquals("End maintenance", chromium.visible(action("pool-actions", RENAMED, "maintenance")).getText());
        chromium.screenshot("primary-storage-maintenance");

        chromium.confirmVia(action("pool-actions", RENAMED, "maintenance"), "End maintenance");
        waitForText(By.cssSelector("[data-state='" + RENAMED + "']"), "Up");
        assertEquals("Up", pool().get("state").asText());
    }

    @Test
    @Order(2)
    void deletingAPoolThatHoldsAVolumeIsRefusedAndTheServerSaysWhy() throws Exception {
        volumeId = awaitOk(cloud.admin(), cloud.admin().call("createVolume", "name", VOLUME, "zoneid", cloud.zoneId,
                "size", "1"), "createVolume").get("volume").get("id").asText();
        chromium.confirmVia(action("pool-actions", RENAMED, "delete"), "Delete");
        String error = chromium.visible(By.id("pool-action-error")).getText();
        assertTrue(error.contains("still holds 1 volume"), error);
        assertEquals(RENAMED, pool().get("name").asText(), "the pool stays");
        chromium.screenshot("primary-storage-delete-refused");
    }

    @Test
    @Order(3)
    void aDiskOfferingIsCreatedWithTagsAndAnIopsRange() throws Exception {
        chromium.menu("Disk offerings");
        chromium.click(By.id("create-offering"));
        chromium.type("offering-name", OFFERING);
        chromium.type("offering-size", "2");
        chromium.visible(By.id("offering-tags")).sendKeys("gold", Keys.ENTER);
        chromium.type("offering-miniops", "100");
        chromium.type("offering-maxiops", "500");
        chromium.click(By.id("offering-ok"));
        WebElement row = chromium.visible(By.xpath("//tr[.//*[@data-offering='" + OFFERING + "']]"));
        assertTrue(row.getText().contains("2 GiB") && row.getText().contains("IOPS 100–500"), row.getText());
        JsonNode offering = list(cloud.admin(), "listDiskOfferings", "diskoffering", "name", OFFERING).get(0);
        assertEquals(2, offering.get("disksize").asLong());
        assertEquals("gold", offering.get("tags").asText());
        assertEquals(500, offering.get("maxiops").asLong());
        chromium.screenshot("disk-offerings");
    }

    @Test
    @Order(4)
    void aVolumeIsResizedWhileItsProgressBarGoesTo100AndAShrinkIsRefusedWithTheReason() throws Exception {
        chromium.menu("Volumes");
        chromium.click(By.cssSelector("[data-resize='" + VOLUME + "']"));
        chromium.type("resize-size", "3");
        chromium.click(By.id("resize-ok"));
        By bar = By.cssSelector("[data-resize-progress] [role='progressbar']");
        chromium.await().until(d -> "100".equals(d.findElement(bar).getAttribute("aria-valuenow")));
        assertTrue(chromium.visible(By.id("resize-done")).getText().contains("3.00 GiB"));
        assertEquals(3L << 30, volume(volumeId).get("size").asLong());
        chromium.screenshot("volume-resize");
        chromium.click(By.id("resize-ok"));
        waitForText(By.xpath("//tr[.//a[text()='" + VOLUME + "']]"), "3.00 GiB");

        // Smaller: the form asks for the shrink box first; with it, the server refuses and says why.
        chromium.click(By.cssSelector("[data-resize='" + VOLUME + "']"));
        chromium.type("resize-size", "2");
        chromium.click(By.id("resize-ok"));
        assertTrue(chromium.visible(Chromium.errorUnder("resize-size")).getText().contains("Allow shrinking"));
        chromium.click(By.xpath("//*[@id='resize-shrink']/ancestor::label"));
        chromium.click(By.id("resize-ok"));
        String refusal = chromium.visible(By.id("resize-error")).getText();
        assertTrue(refusal.contains("volumes on RBD only grow"), refusal);
        chromium.screenshot("volume-shrink-refused");
        chromium.driver.findElement(By.id("resize-size")).sendKeys(Keys.ESCAPE);
        assertEquals(3L << 30, volume(volumeId).get("size").asLong());
    }

    @Test
    @Order(5)
    void aSnapshotPolicyIsCreatedAfterTheServerRefusedABadScheduleUnderItsField() throws Exception {
        chromium.click(By.linkText(VOLUME));
        chromium.click(By.id("volume-policies"));
        chromium.click(By.id("create-policy"));
        // Retried while the dialog still zooms in (CI: its label took the click once).
        chromium.click(By.xpath("//label[contains(@class,'ant-radio-button-wrapper')][normalize-space()='hourly']"));
        chromium.type("policy-schedule", "75");
        chromium.type("policy-timezone", "Europe/Berlin");
        chromium.type("policy-maxsnaps", "4");
        chromium.click(By.id("policy-ok"));
        String error = chromium.visible(Chromium.errorUnder("policy-schedule")).getText();
        assertTrue(error.contains("invalid schedule [75]"), error);
        assertEquals("policy-schedule", chromium.driver.switchTo().activeElement().getAttribute("id"));
        chromium.screenshot("snapshot-policy-error");

        chromium.type("policy-schedule", "30");
        chromium.click(By.id("policy-ok"));
        WebElement row = chromium.visible(By.xpath("//tr[.//*[@data-policy='" + VOLUME + " HOURLY']]"));
        assertTrue(row.getText().contains("every hour at :30") && row.getText().contains("Europe/Berlin"),
                row.getText());
        JsonNode policy = list(cloud.admin(), "listSnapshotPolicies", "snapshotpolicy", "volumeid", volumeId).get(0);
        assertEquals("30", policy.get("schedule").asText());
        assertEquals(4, policy.get("maxsnaps").asInt());

        // Hidden from users (updateSnapshotPolicy fordisplay=false), it stays listed here, then is shown again.
        By shown = By.cssSelector("[data-shown='" + VOLUME + " HOURLY']");
        chromium.click(shown);
        chromium.await().ignoring(StaleElementReferenceException.class)
                .until(d -> "false".equals(d.findElement(shown).getAttribute("aria-checked")));
        assertEquals("false", list(cloud.admin(), "listSnapshotPolicies", "snapshotpolicy", "volumeid", volumeId,
                "fordisplay", "false").get(0).get("fordisplay").asText());
        chromium.visible(By.xpath("//*[contains(@class,'ant-message')]//*[contains(., 'is hidden')]"));
        Thread.sleep(500); // the switch's slide (0.2 s) ends before the picture is taken
        chromium.screenshot("snapshot-policies");
        chromium.click(shown);
        chromium.await().ignoring(StaleElementReferenceException.class)
                .until(d -> "true".equals(d.findElement(shown).getAttribute("aria-checked")));
        assertEquals(1, list(cloud.admin(), "listSnapshotPolicies", "snapshotpolicy", "volumeid", volumeId).size());
    }

    @Test
    @Order(6)
    void aVolumeIsCreatedFromASnapshotRow() throws Exception {
        RbdData.write(cloud.cephAdmin().ioCtx(), volumeId, 0, RbdData.bytes(4 << 20, 3));
        String snapshot = awaitOk(cloud.admin(), cloud.admin().call("createSnapshot", "volumeid", volumeId),
                "createSnapshot").get("snapshot").get("name").asText();
        chromium.driver.get(origin + "/client/volumes/" + volumeId);
        chromium.click(action("snapshot", snapshot, "new-volume"));
        chromium.visible(By.id("volume-from-snapshot"));
        chromium.type("volume-name", "from-snapshot");
        chromium.click(By.id("create-volume-ok"));
        chromium.visible(By.linkText("from-snapshot"));
        JsonNode made = list(cloud.admin(), "listVolumes", "volume", "name", "from-snapshot").get(0);
        assertEquals(3L << 30, made.get("size").asLong(), "the snapshot's size");
        ok(cloud.admin().call("deleteVolume", "id", made.get("id").asText()), "deleteVolume");
    }

    @Test
    @Order(7)
    void nfsAndS3StoresAreAddedListedWithoutKeysAndDeletedAfterBadValuesWereRefusedUnderTheirFields()
            throws Exception {
        RealServices services = RealServices.load();
        Path export = Path.of(services.require("nfs.export.dir"));
        String subdir = "webui-nfs-" + UUID.randomUUID();
        Files.createDirectories(export.resolve(subdir));
        try (S3Fixture s3 = new S3Fixture("webui")) {
            chromium.menu("Secondary storage");
            chromium.click(By.id("add-image-store"));
            chromium.click(By.id("image-store-ok"));
            assertTrue(chromium.visible(Chromium.errorUnder("image-store-provider")).getText()
                    .contains("Choose where the backups go"));

            // NFS: a port in the server part is refused before asking; an export the host cannot mount by the
            // server, under the same field.
            chromium.click(By.cssSelector("[data-provider='NFS']"));
            chromium.type("image-store-name", NFS_STORE);
            String nfsUrl = services.require("nfs.url");
            chromium.type("image-store-url", nfsUrl.replace("nfs://127.0.0.1/", "nfs://127.0.0.1:2049/"));
            chromium.click(By.id("image-store-ok"));
            assertTrue(chromium.visible(Chromium.errorUnder("image-store-url")).getText()
                    .contains("?nfsport=N&mountport=N"));
            chromium.type("image-store-url", nfsUrl + "/" + subdir + "-missing");
            chromium.click(By.id("image-store-ok"));
            String refused = chromium.visible(Chromium.errorUnder("image-store-url")).getText();
            assertTrue(refused.contains("cannot use image store"), refused);
            assertEquals("image-store-url", chromium.driver.switchTo().activeElement().getAttribute("id"));
            chromium.screenshot("secondary-storage-nfs-refused");
            chromium.type("image-store-url", nfsUrl + "/" + subdir);
            chromium.click(By.id("image-store-ok"));
            chromium.visible(By.cssSelector("[data-delete='" + NFS_STORE + "']"));

            // S3: a bucket name S3 does not allow is refused under its field; the secret key is a password field.
            chromium.click(By.id("add-image-store"));
            chromium.click(By.cssSelector("[data-provider='S3']"));
            chromium.type("image-store-name", S3_STORE);
            chromium.type("image-store-endpoint", s3.endpoint);
            chromium.type("image-store-bucket", "Not_A_Bucket");
            chromium.type("image-store-accesskey", s3.credentials.accessKey());
            String secret = s3.credentials.secretKey().reveal();
            chromium.type("image-store-secretkey", secret);
            assertEquals("password", chromium.driver.findElement(By.id("image-store-secretkey")).getAttribute("type"));
            chromium.click(By.id("image-store-ok"));
            assertTrue(chromium.visible(Chromium.errorUnder("image-store-bucket")).getText().contains("3 to 63"));
            chromium.screenshot("secondary-storage-add-s3");
            chromium.type("image-store-bucket", s3.bucket);
            chromium.click(By.id("image-store-ok"));
            chromium.visible(By.cssSelector("[data-delete='" + S3_STORE + "']"));
            assertFalse(chromium.driver.getPageSource().contains(secret), "the secret key is not on the page");

            List<JsonNode> stores = list(cloud.admin(), "listImageStores", "imagestore");
            assertEquals(List.of(NFS_STORE, S3_STORE), stores.stream().map(n -> n.get("name").asText()).toList());
            assertEquals("NFS", stores.get(0).get("providername").asText());
            assertEquals("S3", stores.get(1).get("providername").asText());
            assertEquals("s3://" + s3.endpoint + "/" + s3.bucket + "?usehttps=false&region=us-east-1",
                    stores.get(1).get("url").asText());
            WebElement table = chromium.visible(By.id("image-stores"));
            assertTrue(table.getText().contains(nfsUrl + "/" + subdir), table.getText());
            chromium.screenshot("secondary-storage");

            // Deleted after a confirmation, each; nothing holds backups yet.
            for (String name : List.of(NFS_STORE, S3_STORE)) {
                chromium.confirmVia(By.cssSelector("[data-delete='" + name + "']"), "Delete");
                chromium.await().until(d -> d.findElements(By.cssSelector("[data-delete='" + name + "']")).isEmpty());
            }
            assertEquals(0, list(cloud.admin(), "listImageStores", "imagestore").size());
        } finally {
            try (var files = Files.walk(export.resolve(subdir))) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    @Test
    @Order(8)
    void aSharedMountPointIsAddedAfterAWrongPathIsRefusedUnderItsField() throws Exception {
        Path store = Files.createDirectories(dir.resolve("image-store"));
        chromium.menu("Secondary storage");
        chromium.click(By.id("add-image-store"));
        chromium.click(By.cssSelector("[data-provider='SharedMountPoint']"));
        chromium.type("image-store-name", STORE);
        chromium.type("image-store-url", store.resolve("not-mounted").toUri().toString());
        chromium.click(By.id("image-store-ok"));
        String error = chromium.visible(Chromium.errorUnder("image-store-url")).getText();
        assertTrue(error.contains("does not exist on this host"), error);

        chromium.type("image-store-url", store.toUri().toString());
        chromium.click(By.id("image-store-ok"));
        chromium.visible(By.cssSelector("[data-delete='" + STORE + "']"));
        assertEquals(List.of(STORE), list(cloud.admin(), "listImageStores", "imagestore").stream()
                .map(s -> s.get("name").asText()).toList());
    }

    @Test
    @Order(9)
    void twoBackupsOfTheVolumeShowAsAFullAndAnIncrementalOnIt() throws Exception {
        chromium.driver.get(origin + "/client/volumes/" + volumeId);
        String full = takeAndBackUp();
        RbdData.write(cloud.cephAdmin().ioCtx(), volumeId, 64 << 20, RbdData.bytes(8192, 4));
        String incremental = takeAndBackUp();

        WebElement fullCell = chromium.visible(By.cssSelector("[data-chain='" + full + "']"));
        assertTrue(fullCell.getText().startsWith("Full"), fullCell.getText());
        assertTrue(fullCell.getText().contains("on " + STORE), fullCell.getText());
        WebElement incrementalCell = chromium.visible(By.cssSelector("[data-chain='" + incremental + "']"));
        assertTrue(incrementalCell.getText().startsWith("Incremental on " + full), incrementalCell.getText());
        assertTrue(incrementalCell.getText().contains("restoring reads 2 backups"), incrementalCell.getText());
        chromium.screenshot("backup-chain");
    }

    /** Takes a snapshot on the page and backs it up; its name once it is BackedUp. */
    static String takeAndBackUp() throws Exception {
        int before = list(cloud.admin(), "listSnapshots", "snapshot", "volumeid", volumeId).size();
        chromium.click(By.id("take-snapshot"));
        chromium.await().until(d -> {
            try {
                return list(cloud.admin(), "listSnapshots", "snapshot", "volumeid", volumeId).size() > before;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String name = list(cloud.admin(), "listSnapshots", "snapshot", "volumeid", volumeId).get(0).get("name").asText();
        chromium.click(action("snapshot", name, "backup"));
        waitForText(By.xpath("//tr[.//*[@data-snapshot='" + name + "']]"), "BackedUp");
        return name;
    }

    @Test
    @Order(10)
    void secondaryStorageHoldingBackupsIsRefusedThenDeletedOnceTheyAreGone() throws Exception {
        chromium.menu("Secondary storage");
        chromium.confirmVia(By.cssSelector("[data-delete='" + STORE + "']"), "Delete");
        String refusal = chromium.visible(By.id("image-store-action-error")).getText();
        assertTrue(refusal.contains("holds 2 snapshot backup(s)"), refusal);

        for (JsonNode s : list(cloud.admin(), "listSnapshots", "snapshot", "volumeid", volumeId)) {
            awaitOk(cloud.admin(), cloud.admin().call("deleteSnapshot", "id", s.get("id").asText()), "deleteSnapshot");
        }
        chromium.confirmVia(By.cssSelector("[data-delete='" + STORE + "']"), "Delete");
        WebElement table = chromium.visible(By.id("image-stores"));
        chromium.await().until(d -> table.getText().contains("No secondary storage yet"));
        assertEquals(0, list(cloud.admin(), "listImageStores", "imagestore").size());
    }

    @Test
    @Order(11)
    void thePoolIsDeletedOnceItHoldsNoVolume() throws Exception {
        for (JsonNode p : list(cloud.admin(), "listSnapshotPolicies", "snapshotpolicy", "volumeid", volumeId)) {
            ok(cloud.admin().call("deleteSnapshotPolicies", "id", p.get("id").asText()), "deleteSnapshotPolicies");
        }
        ok(cloud.admin().call("deleteVolume", "id", volumeId), "deleteVolume");
        chromium.menu("Primary storage");
        chromium.confirmVia(action("pool-actions", RENAMED, "delete"), "Delete");
        WebElement table = chromium.visible(By.id("storage-pools"));
        chromium.await().until(d -> table.getText().contains("No primary storage yet"));
        assertEquals(0, list(cloud.admin(), "listStoragePools", "storagepool").size());
    }
}
