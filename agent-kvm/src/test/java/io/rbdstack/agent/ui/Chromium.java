package io.rbdstack.agent.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven by Debian's chromedriver. Both paths are given, so Selenium
 * Manager never runs (it would try to download a browser or a driver). The flags keep chromium off
 * the network (this machine has none but loopback) and out of any profile but a fresh one. The
 * helpers below are the steps every UI test takes: wait, find, type, pick a menu entry, confirm.
 */
final class Chromium implements AutoCloseable {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path profile;

    Chromium(int width, int height) throws IOException {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException(BROWSER + " and " + DRIVER + " are needed: scripts/install-packages.sh"
                    + " installs Debian's chromium and chromium-driver");
        }
        profile = Files.createTempDirectory("rbdstack-chromium-");
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    /**
     * Where the screenshots go: target/screenshots of the module (the ITs run in agent-kvm/), so that a test run leaves
     * the work tree as it was; {@code -Drbdstack.screenshots=../docs/screenshots} refreshes the README's.
     */
    static final Path SCREENSHOTS = Path.of(System.getProperty("rbdstack.screenshots", "target/screenshots"))
            .toAbsolutePath().normalize();

    /** How often a wait looks again: Selenium's default, 500 ms, was mostly time lost after each page change. */
    private static final Duration POLL = Duration.ofMillis(50);

    /**
     * A wait that looks again when an element it found was drawn anew before it was read (Vue re-renders a
     * row while a job's progress polls; seen in CI as a StaleElementReferenceException inside a wait).
     */
    WebDriverWait await() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), POLL);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    WebElement visible(By by) {
        return await().until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Selects all of the field and types over it: Vue's v-model hears the keystrokes, as it would a person's. */
    void type(String id, String text) {
        WebElement field = visible(By.id(id));
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        field.sendKeys(text);
    }

    /**
     * Clicks the element once it is visible and nothing lies over it: Chrome refuses a click that another element
     * would get (nothing is clicked then), so it is tried again. Seen in CI: a dialog's select clicked while the
     * dialog was still zooming in.
     */
    void click(By by) {
        visible(by);
        await().ignoring(ElementClickInterceptedException.class).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    /** Clicks the navigation entry with this text. */
    void menu(String entry) {
        click(By.xpath("//li[contains(@class,'ant-menu-item')][contains(., '" + entry + "')]"));
    }

    /** Opens the antd select around the element {@code id} and picks the option whose label contains {@code text}. */
    void choose(String id, String text) {
        click(By.xpath("//*[@id='" + id + "']/ancestor::div[contains(@class,'ant-select')][1]"));
        // Once the drop-down has stopped sliding in: a click while it moves can land on the option beside.
        visible(By.xpath("//div[contains(@class,'ant-select-dropdown') and not(contains(@class,'hidden'))"
                + " and not(contains(@class,'-enter')) and not(contains(@class,'-appear'))]"
                + "//div[contains(@class,'ant-select-item-option')][contains(., '" + text + "')]")).click();
    }

    /** The button of a table row's action: rows carry data-{kind}="name", their buttons data-action. */
    static By rowAction(String kind, String name, String action) {
        return By.cssSelector("[data-" + kind + "='" + name + "'] [data-action='" + action + "']");
    }

    /** Waits for the element to say text; a row the table has just drawn again is looked up afresh. */
    void waitForText(By by, String text, Duration within) {
        await().withTimeout(within).until(d -> d.findElement(by).getText().contains(text));
    }

    /**
     * A pop-over that is open and done moving: a click while its zoom-in animation runs can land beside the button
     * (seen once in CI: the click did nothing).
     */
    static final String SETTLED_POPOVER = "//div[contains(@class,'ant-popover') and not(contains(@class,'ant-popover-hidden'))"
            + " and not(contains(@class,'-enter')) and not(contains(@class,'-appear')) and not(contains(@class,'-leave'))]";

    /**
     * Clicks {@code trigger} (a row's action), then the button of the confirmation pop-over it opens
     * ({@link #confirm}). When no settled pop-over shows within 5 s the trigger is clicked again, found afresh (up to
     * 3 times): seen once in CI, a click on a table's action opened nothing, the row having been drawn anew as the
     * table reloaded after the action before. A click that opened nothing toggles nothing.
     */
    void confirmVia(By trigger, String button) {
        By settled = By.xpath(SETTLED_POPOVER + "//button[normalize-space()='" + button + "']");
        for (int attempt = 1; ; attempt++) {
            visible(trigger).click();
            try {
                new WebDriverWait(driver, Duration.ofSeconds(5), POLL).ignoring(StaleElementReferenceException.class)
                        .until(ExpectedConditions.visibilityOfElementLocated(settled));
                break;
            } catch (TimeoutException nothingOpened) {
                if (attempt == 3) {
                    throw new TimeoutException("no pop-over with '" + button + "' opened after 3 clicks on " + trigger,
                            nothingOpened);
                }
            }
        }
        confirm(button);
    }

    /**
     * Clicks the button of the open confirmation pop-over, and again if the pop-over is still open 2 s later: a
     * click the browser placed while the pop-over still moved landed beside the button and did nothing (twice
     * in CI, even with the settled check). A click that did land closes the pop-over, so nothing is sent twice.
     */
    private void confirm(String button) {
        By settled = By.xpath(SETTLED_POPOVER + "//button[normalize-space()='" + button + "']");
        for (int attempt = 1; ; attempt++) {
            WebElement target = visible(settled);
            target.click();
            try {
                new WebDriverWait(driver, Duration.ofSeconds(2), POLL).until(d -> {
                    try {
                        return !target.isDisplayed();
                    } catch (StaleElementReferenceException gone) {
                        return true;
                    }
                });
                return;
            } catch (TimeoutException stillOpen) {
                if (attempt == 3) {
                    throw new TimeoutException("the pop-over's '" + button + "' button stayed open after 3 clicks",
                            stillOpen);
                }
            }
        }
    }

    /** The error text antd shows under the form item that holds the element with this id. */
    static By errorUnder(String id) {
        return By.xpath("//*[@id='" + id + "']/ancestor::div[contains(concat(' ', normalize-space(@class), ' '),"
                + " ' ant-form-item ')][1]//div[contains(@class, 'ant-form-item-explain-error')]");
    }

    /** Logs in on the login page of {@code origin} and waits for the dashboard. */
    void logIn(String origin, String username, String password) {
        driver.get(origin + "/client/login");
        type("username", username);
        type("password", password);
        driver.findElement(By.id("login-submit")).click();
        visible(By.id("hosts-card"));
    }

    /** Saves what the browser shows now as {@code name}.png in {@link #SCREENSHOTS}. */
    void screenshot(String name) throws IOException {
        screenshot(SCREENSHOTS.resolve(name + ".png"));
    }

    /** antd's opening animations (a dialog zooming in, a message fading in) while they run. */
    private static final By ANIMATING = By.cssSelector("[class*='zoom-appear'], [class*='zoom-enter'],"
            + " [class*='fade-appear'], [class*='fade-enter']");

    /** A PNG of what the browser shows once opening animations ended, written to {@code file}. */
    void screenshot(Path file) throws IOException {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(3), POLL).until(d -> d.findElements(ANIMATING).isEmpty());
        } catch (TimeoutException stillMoving) {
            // Something keeps animating: the picture is taken anyway, as it is.
        }
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
