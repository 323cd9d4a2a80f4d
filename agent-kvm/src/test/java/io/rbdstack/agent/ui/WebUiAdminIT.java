package io.rbdstack.agent.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbdstack.agent.fixtures.Deadline;
import io.rbdstack.agent.fixtures.OneHostCloud;
import io.rbdstack.server.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The cloud admin's pages end to end: infrastructure, async jobs, alerts, accounts and global
 * settings, in headless chromium against the real server with this machine's real agent. The steps
 * build on each other, in order; each new page is saved as a screenshot (Chromium.SCREENSHOTS).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebUiAdminIT {

    @TempDir
    static Path dir;
    static OneHostCloud cloud;
    static Chromium chromium;
    static String origin;
    static String hostName;

    @BeforeAll
    static void start() throws Exception {
        cloud = OneHostCloud.start(dir);
        origin = "http://127.0.0.1:" + cloud.server.server.httpPort();
        chromium = new Chromium(1280, 800);
        hostName = OneHostCloud.list(cloud.admin(), "listHosts", "host").get(0).get("name").asText();
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

    static void tab(String name) {
        chromium.click(By.xpath("//div[@role='tab'][starts-with(normalize-space(.), '" + name + "')]"));
    }

    /** The row action button of the row marked {@code data-row=row} (infrastructure, domains, accounts). */
    static WebElement action(String row, String action) {
        return chromium.visible(By.cssSelector("[data-row='" + row + "'] [data-action='" + action + "']"));
    }

    static void choose(String id, String text) {
        chromium.choose(id, text);
    }

    /** Fills a new user's fields in the form whose ids start with {@code form}: the first name is the username's capitalised. */
    static void fillUser(String form, String username, String lastName, String password, String repeat) {
        chromium.type(form + "-username", username);
        chromium.type(form + "-firstname", username.substring(0, 1).toUpperCase() + username.substring(1));
        chromium.type(form + "-lastname", lastName);
        chromium.type(form + "-email", username + "@example.com");
        chromium.type(form + "-password", password);
        chromium.type(form + "-repeat", repeat);
    }

    /**
     * Clicks {@code button} in the confirmation on screen. Unlike Chromium.confirm it skips pop-overs
     * left in the page, invisible, by rows that a reload removed while their pop-over was closing.
     */
    static void confirm(String button) {
        chromium.await().until(d -> d.findElements(By.xpath(Chromium.SETTLED_POPOVER + "//button[normalize-space()='"
                + button + "']")).stream().filter(WebElement::isDisplayed).findFirst().orElse(null)).click();
    }

    static void success(String text) {
        chromium.visible(By.xpath("//*[contains(@class,'ant-message')]//*[contains(., \"" + text + "\")]"));
    }

    /** Waits for the success notices to fade, so that a screenshot shows the page itself. */
    static void screenshot(String name) throws Exception {
        chromium.await().until(d -> d.findElements(By.cssSelector(".ant-message-notice")).isEmpty());
        chromium.screenshot(name);
    }

    static JsonNode only(String command, String item, String... params) throws Exception {
        List<JsonNode> found = OneHostCloud.list(cloud.admin(), command, item, params);
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }

    @Test
    @Order(0)
    void theInfrastructurePageShowsTheHostUpWithTheRbdBackend() throws Exception {
        chromium.logIn(origin, "admin", TestServer.ADMIN_PASSWORD);
        chromium.menu("Infrastructure");
        chromium.visible(By.cssSelector("[data-row='ceph-zone']"));
        tab("Hosts");
        By row = By.xpath("//tr[.//*[@data-row='" + hostName + "']]");
        chromium.await().until(d -> d.findElement(row).getText().contains("Up")
                && d.findElement(row).getText().contains("Enabled")); // a row redrawn meanwhile is looked up again
        assertEquals("yes", chromium.driver.findElement(By.cssSelector("[data-rbd='" + hostName + "']")).getText());
        assertEquals("true", only("listHosts", "host").get("details").get("libvirt.rbd.storage.backend").asText(),
                "what the page shows is the agent's report");
        screenshot("infrastructure");
    }

    @Test
    @Order(1)
    void aPodIsAddedWithItsWrongGatewayShownInPlaceThenEditedAndDeleted() throws Exception {
        tab("Pods");
        chromium.click(By.id("add-pod"));
        chromium.await().until(d -> d.findElement(By.xpath("//*[@id='new-pod-zoneid']/ancestor::div[contains(@class,"
                + "'ant-select')][1]")).getText().contains("ceph-zone"));
        chromium.type("new-pod-name", "ui-pod");
        chromium.type("new-pod-gateway", "10.1.0.300");
        chromium.type("new-pod-netmask", "255.255.255.0");
        chromium.click(By.id("new-pod-ok"));
        String error = chromium.visible(Chromium.errorUnder("new-pod-gateway")).getText();
        assertTrue(error.contains("parameter gateway"), error);
        assertEquals("new-pod-gateway", chromium.driver.switchTo().activeElement().getAttribute("id"));
        screenshot("infrastructure-add-pod-error");

        chromium.type("new-pod-gateway", "10.1.0.1");
        chromium.click(By.id("new-pod-ok"));
        action("ui-pod", "edit").click();
        chromium.type("edit-pod-name", "ui-pod-2");
        choose("edit-pod-allocationstate", "Disabled");
        chromium.click(By.id("edit-pod-ok"));
        chromium.waitForText(By.xpath("//tr[.//*[@data-row='ui-pod-2']]"), "Disabled", Duration.ofSeconds(20));
        JsonNode pod = only("listPods", "pod", "name", "ui-pod-2");
        assertEquals("Disabled", pod.get("allocationstate").asText());
        assertEquals("10.1.0.1", pod.get("gateway").asText());

        action("ui-pod-2", "delete").click();
        confirm("Delete");
        success("Pod ui-pod-2 deleted");
        assertTrue(OneHostCloud.list(cloud.admin(), "listPods", "pod", "name", "ui-pod-2").isEmpty());
    }

    @Test
    @Order(2)
    void deletingTheZoneThatStillHasAHostShowsTheServersRefusal() throws Exception {
        tab("Zones");
        action("ceph-zone", "delete").click();
        confirm("Delete");
        String refusal = chromium.visible(By.id("zone-action-error")).getText();
        assertTrue(refusal.startsWith("Zone ceph-zone was not deleted: "), refusal);
        assertTrue(refusal.length() > "Zone ceph-zone was not deleted: ".length() + 5, "the server's reason: " + refusal);
        only("listZones", "zone");
    }

    @Test
    @Order(3)
    void hostMaintenanceGoesOnAndOffWithAProgressBar() throws Exception {
        tab("Hosts");
        // The job may end between two polls: an observer notes that the bar was there at all.
        chromium.driver.executeScript("window.sawProgress = false; new MutationObserver(() => {"
                + " if (document.querySelector('[data-maintenance] [role=progressbar]')) { window.sawProgress = true } })"
                + ".observe(document.body, { childList: true, subtree: true })");
        action(hostName, "maintenance").click();
        confirm("Start maintenance");
        success("Host " + hostName + " is in maintenance");
        assertEquals(Boolean.TRUE, chromium.driver.executeScript("return window.sawProgress"));
        chromium.waitForText(By.xpath("//tr[.//*[@data-row='" + hostName + "']]"), "Maintenance", Duration.ofSeconds(20));
        assertEquals("Maintenance", only("listHosts", "host").get("resourcestate").asText());
        screenshot("infrastructure-maintenance");

        chromium.driver.executeScript("window.sawProgress = false");
        action(hostName, "cancel-maintenance").click();
        success("Host " + hostName + " is out of maintenance");
        assertEquals(Boolean.TRUE, chromium.driver.executeScript("return window.sawProgress"));
        assertEquals("Enabled", only("listHosts", "host").get("resourcestate").asText());
    }

    @Test
    @Order(4)
    void anAddedHostShowsItsAgentSetUpWithTheOneTimeCredentialThenIsDeleted() throws Exception {
        chromium.click(By.id("add-host"));
        // The one cluster is chosen by itself.
        chromium.type("new-host-url", "http://kvm2.example");
        chromium.click(By.id("new-host-ok"));
        String properties = chromium.visible(By.id("agent-properties")).getText();
        JsonNode added = only("listHosts", "host", "keyword", "kvm2.example");
        assertFalse("Up".equals(added.get("state").asText()), "no agent has used the credential yet: " + added);
        assertTrue(properties.contains("host.token.file=/etc/rbdstack/host.token") && properties.contains("ca.fingerprint=")
                && !properties.endsWith("ca.fingerprint="), properties);
        String commands = chromium.driver.findElement(By.id("agent-commands")).getText();
        assertTrue(commands.matches("(?s).*printf '%s' '[^']{16,}' > /etc/rbdstack/host.token.*"), commands);
        screenshot("infrastructure-add-host");
        chromium.driver.findElement(By.xpath("//div[contains(@class,'ant-modal')]//button[normalize-space()='Done']"))
                .click();
        chromium.await().until(ExpectedConditions.invisibilityOfElementLocated(By.id("agent-properties")));
        chromium.await().until(d -> !d.findElement(By.id("hosts")).getText().contains("Loading"));
        action("kvm2.example", "delete").click();
        confirm("Delete");
        success("Host kvm2.example deleted");
        assertTrue(OneHostCloud.list(cloud.admin(), "listHosts", "host", "keyword", "kvm2.example").isEmpty());
    }

    @Test
    @Order(5)
    void theJobsPageShowsTheFinishedJobs() throws Exception {
        chromium.menu("Async jobs");
        WebElement table = chromium.visible(By.id("jobs"));
        chromium.await().until(d -> table.getText().contains("prepareHostForMaintenance")
                && table.getText().contains("cancelHostMaintenance"));
        assertTrue(table.getText().contains("Succeeded"), table.getText());
        assertFalse(table.getText().contains("Running"), "nothing runs now");
        screenshot("jobs");

        // A backup waiting for a transfer slot on its host, as the job manager records it (the server's own
        // msid, so it is not failed as orphaned): its status says so until it ends, then the page stops refreshing.
        String queued = UUID.randomUUID().toString();
        sql("INSERT INTO async_job (uuid, user_id, account_id, cmd, job_status, executing_msid, created,"
                + " last_updated, transfers_ahead) SELECT ?, user_id, account_id, 'backupSnapshot', 0, executing_msid,"
                + " UTC_TIMESTAMP(), UTC_TIMESTAMP(), 2 FROM async_job WHERE job_status = 1 ORDER BY id DESC LIMIT 1",
                queued);
        By status = By.cssSelector("[data-queued='" + queued + "']");
        try {
            chromium.click(By.xpath("//button[normalize-space()='Refresh']"));
            assertEquals("queued (2 ahead)", chromium.visible(status).getText());
        } finally {
            sql("UPDATE async_job SET job_status = 1, job_result_type = 'object', job_result = '{}',"
                    + " completed = UTC_TIMESTAMP(), transfers_ahead = NULL WHERE uuid = ?", queued);
        }
        chromium.await().until(d -> d.findElements(status).isEmpty());
        assertFalse(chromium.visible(By.id("jobs")).getText().contains("queued"), "the ended job is not queued");
    }

    private static void sql(String sql, Object... args) throws Exception {
        try (Connection c = cloud.db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }

    @Test
    @Order(6)
    void anAlertOfADisconnectedHostIsArchivedThenDeleted() throws Exception {
        // What the server does when a host goes away: one ALERT.COMPUTE.HOST.
        cloud.stopAgent();
        Deadline.await("the host's alert", Duration.ofSeconds(20),
                () -> !OneHostCloud.list(cloud.admin(), "listAlerts", "alert", "type", "7").isEmpty());
        cloud.startAgent();
        String alertId = only("listAlerts", "alert").get("id").asText();

        chromium.menu("Dashboard");
        WebElement link = chromium.visible(By.id("open-alerts-link"));
        chromium.await().until(d -> link.getText().startsWith("1 open"));
        link.click();
        WebElement table = chromium.visible(By.id("alerts"));
        chromium.await().until(d -> table.getText().contains("ALERT.COMPUTE.HOST"));
        screenshot("alerts");

        table.findElement(By.cssSelector("tbody tr.ant-table-row .ant-checkbox-input")).click();
        chromium.click(By.id("archive-alerts"));
        confirm("Archive");
        chromium.await().until(d -> table.getText().contains("No open alerts."));
        assertEquals(1, OneHostCloud.list(cloud.admin(), "listAlerts", "alert", "archived", "true").size());

        choose("alert-archived", "Archived");
        chromium.await().until(d -> table.getText().contains("ALERT.COMPUTE.HOST"));
        table.findElement(By.cssSelector("tbody tr.ant-table-row .ant-checkbox-input")).click();
        chromium.click(By.id("delete-alerts"));
        confirm("Delete");
        chromium.await().until(d -> table.getText().contains("No archived alerts."));
        assertEquals(431, cloud.admin().call("listAlerts", "id", alertId).status(), "deleted");
    }

    @Test
    @Order(7)
    void aDomainAnAccountAndAUserAreCreated() throws Exception {
        chromium.menu("Accounts");
        tab("Domains");
        chromium.click(By.id("add-domain"));
        chromium.type("new-domain-name", "ui-dom");
        chromium.click(By.id("new-domain-ok"));
        chromium.visible(By.cssSelector("[data-row='ui-dom']"));
        String domainId = only("listDomains", "domain", "name", "ui-dom", "listall", "true").get("id").asText();

        tab("Accounts");
        chromium.click(By.id("add-account"));
        choose("new-account-domainid", "ui-dom");
        chromium.type("new-account-account", "ui-acct");
        fillUser("new-account", "ann", "Lee", "first-pass-1", "first-pass-2");
        chromium.click(By.id("new-account-ok"));
        assertEquals("The two entries differ", chromium.visible(Chromium.errorUnder("new-account-repeat")).getText());
        chromium.type("new-account-repeat", "first-pass-1");
        chromium.click(By.id("new-account-ok"));
        chromium.visible(By.cssSelector("[data-row='ui-acct']"));
        assertEquals(domainId, only("listAccounts", "account", "name", "ui-acct", "listall", "true").get("domainid").asText());

        action("ui-acct", "lock").click();
        success("Account ui-acct locked");
        assertEquals("locked", only("listAccounts", "account", "name", "ui-acct", "listall", "true").get("state").asText());
        action("ui-acct", "enable").click();
        success("Account ui-acct enabled");

        chromium.visible(By.xpath("//tr[.//*[@data-row='ui-acct']]//button[contains(@class,'ant-table-row-expand-icon')]"))
                .click();
        chromium.click(By.id("add-user-ui-acct"));
        fillUser("new-user", "bob", "Ray", "bob-pass-1", "bob-pass-1");
        chromium.click(By.id("new-user-ok"));
        chromium.visible(By.cssSelector("[data-users-of='ui-acct'] [data-user='bob']"));
        assertEquals(2, only("listAccounts", "account", "name", "ui-acct", "listall", "true").get("user").size());
        screenshot("accounts");
    }

    @Test
    @Order(8)
    void aUsersPasswordIsChangedAndTheUserLogsInWithIt() throws Exception {
        chromium.click(By.cssSelector("[data-user='bob'] [data-action='password']"));
        chromium.type("user-password-password", "bob-new-pass-2");
        chromium.type("user-password-repeat", "bob-new-pass-2");
        chromium.click(By.id("user-password-ok"));
        success("Password of bob changed");

        // API keys: the secret shows once, and is gone from the page when its dialog closes.
        chromium.click(By.cssSelector("[data-user='bob'] [data-action='keys']"));
        confirm("Register");
        String secret = chromium.visible(By.id("secret-key")).getAttribute("value");
        assertTrue(secret.length() > 20, secret);
        screenshot("user-keys");
        chromium.click(By.id("secret-key-done"));
        chromium.await().until(d -> d.findElements(By.id("secret-key")).stream().noneMatch(WebElement::isDisplayed));
        assertFalse(chromium.driver.getPageSource().contains(secret), "the secret is not kept in the page");

        chromium.driver.findElement(By.id("logout")).click();
        chromium.type("username", "bob");
        chromium.type("password", "bob-pass-1");
        chromium.type("domain", "/ui-dom");
        chromium.driver.findElement(By.id("login-submit")).click();
        chromium.visible(By.id("login-error"));
        chromium.type("password", "bob-new-pass-2");
        chromium.driver.findElement(By.id("login-submit")).click();
        chromium.visible(By.id("hosts-card"));
        assertEquals("bob", chromium.visible(By.cssSelector(".header .user")).getText());
        chromium.driver.findElement(By.id("logout")).click();
        chromium.visible(By.id("username"));
    }

    @Test
    @Order(9)
    void aSettingIsChangedInPlaceAndAnOutOfRangeValueIsRefusedUnderIt() throws Exception {
        chromium.logIn(origin, "admin", TestServer.ADMIN_PASSWORD);
        chromium.menu("Global settings");
        String field = "setting-snapshot.delta.max";
        chromium.type("setting-keyword", "snapshot.delta.max");
        chromium.driver.findElement(By.id("setting-keyword")).sendKeys(Keys.ENTER);
        chromium.await().until(d -> d.findElements(By.cssSelector("#settings tbody tr.ant-table-row")).size() == 1);
        chromium.type(field, "300");
        chromium.click(By.cssSelector("[data-setting='snapshot.delta.max'] [data-action='save']"));
        String error = chromium.visible(Chromium.errorUnder(field)).getText();
        assertTrue(error.contains("300") && error.contains("parameter value"), error);
        assertEquals(field, chromium.driver.switchTo().activeElement().getAttribute("id"));
        assertEquals("16", only("listConfigurations", "configuration", "name", "snapshot.delta.max").get("value").asText());
        screenshot("settings-error");

        chromium.type(field, "20");
        chromium.click(By.cssSelector("[data-setting='snapshot.delta.max'] [data-action='save']"));
        success("snapshot.delta.max is now 20");
        assertTrue(chromium.driver.findElements(Chromium.errorUnder(field)).isEmpty(), "the error is gone");
        assertEquals("20", only("listConfigurations", "configuration", "name", "snapshot.delta.max").get("value").asText());

        chromium.type("setting-keyword", "");
        chromium.driver.findElement(By.id("setting-keyword")).sendKeys(Keys.ENTER);
        chromium.await().until(d -> d.findElements(By.cssSelector("#settings tbody tr.ant-table-row")).size() > 5);
        screenshot("settings");
    }

    @Test
    @Order(10)
    void theAccountIsDeletedAsAJobAndThenItsEmptyDomain() throws Exception {
        chromium.menu("Accounts");
        action("ui-acct", "delete").click();
        confirm("Delete");
        success("Account ui-acct deleted");
        assertTrue(OneHostCloud.list(cloud.admin(), "listAccounts", "account", "name", "ui-acct", "listall", "true")
                .isEmpty());
        tab("Domains");
        action("ui-dom", "delete").click();
        confirm("Delete");
        success("ui-dom deleted");
        assertTrue(OneHostCloud.list(cloud.admin(), "listDomains", "domain", "name", "ui-dom", "listall", "true").isEmpty());
    }

    @Test
    @Order(11)
    void onANarrowScreenTheInfrastructureTablesScrollInsteadOfSqueezing() throws Exception {
        chromium.driver.manage().window().setSize(new Dimension(420, 860));
        try {
            chromium.driver.get(origin + "/client/infrastructure");
            tab("Hosts");
            WebElement rbd = chromium.visible(By.cssSelector("[data-rbd='" + hostName + "']"));
            assertEquals("yes", rbd.getText());
            WebElement table = chromium.driver.findElement(By.id("hosts"));
            assertTrue(table.getSize().getWidth() <= 420, "the table fits the screen and scrolls inside");
            screenshot("infrastructure-narrow");
        } finally {
            chromium.driver.manage().window().setSize(new Dimension(1280, 800));
        }
    }
}
