package dev.durable.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durable.CallbackConfig;
import dev.durable.ExecutionStatus;
import dev.durable.RetryPolicy;
import dev.durable.StepConfig;
import dev.durable.runtime.local.LocalRuntime;
import dev.durable.runtime.local.admin.AdminServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: Debian's headless Chromium driven by Selenium, against a running application
 * with executions in every state. Screenshots are saved under target/ for review.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String INJECTION = "<img src=x onerror=alert(1)>";

    record Decision(boolean approved) {}

    @TempDir
    Path dir;

    @TempDir
    Path profile;

    private final Map<String, String> callbacks = new ConcurrentHashMap<>();
    private LocalRuntime app;
    private AdminServer admin;
    private WebDriver browser;

    @BeforeEach
    void open() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "1".equals(System.getenv("DURABLE_REQUIRE_BROWSER"))) {
            throw new AssertionError("the browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                    + CHROMEDRIVER + "); scripts/test.sh installs them");
        }
        Assumptions.assumeTrue(
                installed, "chromium and chromium-driver are not installed; scripts/test.sh installs them");
        app = LocalRuntime.open(dir);
        app.register("approve", String.class, String.class, (in, ctx) -> {
            Decision d = ctx.waitForCallback(
                    "manager",
                    Decision.class,
                    (id, s) -> callbacks.put(in, id),
                    CallbackConfig.timeout(Duration.ofDays(7)));
            return d.approved() ? "approved " + in : "rejected " + in;
        });
        app.register("echo", String.class, String.class, (in, ctx) -> ctx.step("say", String.class, s -> in));
        app.register(
                "flaky",
                String.class,
                String.class,
                (in, ctx) -> ctx.step(
                        "charge",
                        String.class,
                        s -> {
                            throw new IllegalStateException("card declined");
                        },
                        StepConfig.builder().retry(RetryPolicy.noRetry()).build()));
        app.register("sleepy", String.class, String.class, (in, ctx) -> {
            ctx.wait("cooling-off", Duration.ofDays(1));
            return in;
        });
        AtomicInteger runs = new AtomicInteger();
        app.register("shifty", String.class, String.class, (in, ctx) -> {
            // names its step after the run: the run after the wait no longer matches its history
            ctx.step("attempt-" + runs.incrementAndGet(), String.class, s -> in);
            ctx.wait("pause", Duration.ofMillis(1));
            return in;
        });
        app.start("shifty", "shifty-1", "s");
        app.start("approve", "order-1", "order-1");
        app.start("echo", "echo-1", "<script>alert('result')</script>");
        app.start("echo", INJECTION, "x");
        app.start("flaky", "charge-1", "c");
        app.start("sleepy", "sleepy-1", "s");
        app.start("approve", "order-2", "order-2");
        app.awaitIdle(Duration.ofSeconds(20));
        app.cancel("order-2");
        admin = app.serveAdmin();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,900",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
        if (admin != null) {
            admin.close();
        }
        if (app != null) {
            app.close();
        }
    }

    private WebDriverWait waitUpTo(int seconds) {
        return new WebDriverWait(browser, Duration.ofSeconds(seconds));
    }

    private void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "console-" + name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Clicks what {@code by} finds, finding it again if a live refresh replaced it meanwhile. */
    private void click(By by) {
        waitUpTo(15).ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    private static By execution(String name) {
        return By.xpath("//table[@id='executions']/tbody/tr[@data-name=" + xpathLiteral(name) + "]");
    }

    private static String xpathLiteral(String s) {
        return s.contains("'") ? "\"" + s + "\"" : "'" + s + "'";
    }

    private static final By CALLBACK_ROW = By.cssSelector("#timeline .row[data-op='1']");

    /** The text of an execution's row (found again if a live refresh replaced it), once it is listed. */
    private String row(String execution) {
        return waitUpTo(15)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(execution(execution)).stream()
                        .findFirst()
                        .map(WebElement::getText)
                        .orElse(null));
    }

    /** The text of the first cell of an execution's row. */
    private String nameCell(String execution) {
        return waitUpTo(15)
                .ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(execution(execution)).stream()
                        .findFirst()
                        .map(r -> r.findElement(By.tagName("td")).getText())
                        .orElse(null));
    }

    @Test
    void aBlockedExecutionShowsWhereItDivergedAndAnOperatorFailsIt() {
        browser.get(admin.consoleUri().toString());

        waitUpTo(15).until(d -> row("shifty-1").contains("BLOCKED"));
        assertThat(row("shifty-1"))
                .contains("blocked: Non-deterministic replay of execution 'shifty-1' at operation 1: the journal"
                        + " holds STEP 'attempt-1' but the code now performs STEP 'attempt-2'");
        click(execution("shifty-1"));
        WebElement reason = waitUpTo(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("fail-reason")));
        assertThat(browser.findElement(By.id("detail-summary")).getText())
                .contains("BLOCKED")
                .contains("the journal holds STEP 'attempt-1'");
        reason.sendKeys("not worth fixing");
        click(By.id("fail-execution"));

        waitUpTo(15).until(d -> row("shifty-1").contains("FAILED"));
        assertThat(app.describe("shifty-1").error().message()).startsWith("failed by an operator: not worth fixing");
    }

    @Test
    void theConsoleListsEveryStateShowsATimelineAndCompletesACallback() throws Exception {
        browser.get(admin.consoleUri().toString());

        assertThat(row("order-1")).contains("approve").contains("WAITING");
        assertThat(row("charge-1")).contains("FAILED");
        assertThat(row("order-2")).contains("CANCELLED");
        assertThat(row("echo-1")).contains("SUCCEEDED");
        assertThat(browser.getCurrentUrl()).doesNotContain("token"); // the token leaves the address bar
        screenshot("list");

        click(execution("order-1"));
        waitUpTo(15).until(ExpectedConditions.visibilityOfElementLocated(CALLBACK_ROW));
        assertThat(browser.findElements(By.cssSelector("#timeline .row"))).hasSize(2); // the callback and its submitter
        click(CALLBACK_ROW);
        WebElement payload = waitUpTo(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("payload")));
        assertThat(browser.findElement(By.id("operation-summary")).getText()).contains(callbacks.get("order-1"));
        screenshot("timeline");

        payload.clear();
        payload.sendKeys("{\"approved\": true}");
        browser.findElement(By.id("complete")).click();

        assertThat(app.<String>execution("order-1").result(Duration.ofSeconds(20)))
                .isEqualTo("approved order-1");
        waitUpTo(15)
                .until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-summary"), "approved order-1"));
        assertThat(row("order-1")).contains("SUCCEEDED");
        screenshot("completed");
    }

    @Test
    void aWrongPayloadIsRefusedWithItsReasonAndChangesNothing() {
        browser.get(admin.consoleUri().toString());
        row("order-1");
        click(execution("order-1"));
        waitUpTo(15).until(ExpectedConditions.visibilityOfElementLocated(CALLBACK_ROW));
        click(CALLBACK_ROW);
        WebElement payload = waitUpTo(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("payload")));
        payload.clear();
        payload.sendKeys("{\"aproved\": true}");
        browser.findElement(By.id("complete")).click();

        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "does not convert"));
        assertThat(app.execution("order-1").status()).isEqualTo(ExecutionStatus.WAITING);
    }

    @Test
    void htmlInNamesAndResultsIsShownAsText() {
        browser.get(admin.consoleUri().toString());
        assertThat(nameCell(INJECTION)).isEqualTo(INJECTION);
        assertThat(browser.findElements(By.cssSelector("#executions img"))).isEmpty();
        row("echo-1");
        click(execution("echo-1"));
        waitUpTo(15).until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-summary"), "<script>"));
        assertThat(browser.findElements(By.cssSelector("#detail-summary script")))
                .isEmpty();
    }

    @Test
    void withoutTheTokenThePageAsksForItAndShowsNothing() {
        browser.get(admin.uri().toString());
        WebElement login = waitUpTo(15).until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        assertThat(login.getText()).contains("admin.endpoint");
        assertThat(browser.findElements(By.cssSelector("#executions tbody tr"))).isEmpty();
        browser.findElement(By.id("token-input")).sendKeys(admin.token());
        browser.findElement(By.cssSelector("#login-form button")).click();
        assertThat(row("order-1")).contains("WAITING");
        assertThat(List.of(admin.token())).isNotEmpty();
    }
}
