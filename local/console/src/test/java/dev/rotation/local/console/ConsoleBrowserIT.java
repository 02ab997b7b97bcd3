package dev.rotation.local.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.rotation.local.lambda.LambdaRotationInvoker;
import dev.rotation.local.lambda.LocalFunctions;
import dev.rotation.local.lambda.SamTemplate;
import dev.rotation.local.secretsmanager.AuditEvent;
import dev.rotation.local.secretsmanager.LocalSecretsManager;
import dev.rotation.local.secretsmanager.RotationInvoker;
import dev.rotation.local.secretsmanager.WebRoute;
import dev.rotation.local.testdb.TestDatabase;
import dev.rotation.local.testdb.TestDatabases;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromium-driver), in front of a local
 * Secrets Manager that runs the template's PostgreSQL function under the local Lambda runtime against a
 * throwaway PostgreSQL server: store a database secret through the form, rotate it from the console,
 * watch AWSCURRENT and AWSPREVIOUS move on the timeline, retrieve the value on purpose, see a failed
 * rotation marked as failed, and a cross-site form refused. Every response the console sent, every URL
 * it was asked for, the audit trail and the server's log are scanned for every value the secrets held:
 * only the answers to "Retrieve secret value" may contain one.
 *
 * <p>With {@code -Dconsole.screenshot=FILE} the secret page after the rotations is also saved there
 * (the README's docs/console-secret.png).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = Path.of("..", "..", "template.yaml").toAbsolutePath().normalize();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration ROTATION = Duration.ofMinutes(3);

    /** What the console answered, recorded by a wrapper around it. */
    record Exchange(String method, String target, int status, String headers, String body) {
    }

    private static final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private static final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private static final List<String> serverLog = new CopyOnWriteArrayList<>();
    private static final Set<String> typedSecrets = ConcurrentHashMap.newKeySet();
    private static LocalSecretsManager server;
    private static LocalFunctions functions;
    private static WebDriver browser;
    private static TestDatabase db;
    private static String database;
    private static String functionArn;
    private static String rotatedSecretArn;
    private static final Logger SERVER_LOGGER = Logger.getLogger("dev.rotation.local");
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord r) {
            serverLog.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (ci) {
            assertThat(present).as("CI must run the browser tests: install chromium and chromium-driver (.ci/run does)")
                    .isTrue();
        }
        assumeTrue(present, "no /usr/bin/chromium and /usr/bin/chromedriver: apt-get install chromium chromium-driver");
        SERVER_LOGGER.addHandler(CAPTURE);
        db = TestDatabases.postgres();
        database = db.createDatabase("console");
        SamTemplate template = SamTemplate.read(TEMPLATE, "us-east-1", Map.of());
        functionArn = template.function("PostgresRotationFunction").arn("us-east-1");
        assertThat(template.function("PostgresRotationFunction").codeUri()).as("build rotation-postgres.jar first")
                .isRegularFile();
        Console console = Console.create(template.functions().values().stream().map(f -> f.arn("us-east-1")).toList(),
                null);
        WebRoute recorded = (request, api) -> {
            WebRoute.Response r = console.handle(request, api);
            exchanges.add(new Exchange(request.method(), request.path() + (request.query() == null ? "" : "?"
                    + request.query()), r.status(), r.headers().toString(), new String(r.body(), StandardCharsets.UTF_8)));
            return r;
        };
        AtomicReference<RotationInvoker> invoker = new AtomicReference<>();
        server = LocalSecretsManager.builder().port(0).schedulerInterval(Duration.ZERO).maxRotationAttempts(2)
                .rotationInvoker((arn, step) -> invoker.get().invoke(arn, step))
                .auditListener(console.auditListener()).auditListener(audit::add)
                .webRoute(Console.PREFIX, recorded).build().start();
        functions = LocalFunctions.builder(template).region(server.region())
                .environmentOverrides(Map.of("SECRETS_MANAGER_ENDPOINT", server.endpoint().toString()))
                .logs((f, line) -> serverLog.add(line)).build();
        invoker.set(new LambdaRotationInvoker(functions));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1700", "--user-data-dir=" + Files.createTempDirectory("console-chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (server != null) {
                StringBuilder trace = new StringBuilder();
                exchanges.forEach(e -> trace.append(e.method()).append(' ').append(e.target()).append(" -> ")
                        .append(e.status()).append('\n'));
                Files.createDirectories(Path.of("target"));
                Files.writeString(Path.of("target", "console-exchanges.txt"), trace);
                scanForValues();
            }
        } finally {
            if (browser != null) {
                browser.quit();
            }
            if (functions != null) {
                functions.close();
            }
            if (server != null) {
                server.close();
            }
            SERVER_LOGGER.removeHandler(CAPTURE);
        }
    }

    private static String url(String path) {
        return server.endpoint() + path;
    }

    private static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private static void awaitRotations() {
        assertThat(server.awaitRotations(ROTATION)).as("rotations finish; log:\n%s", String.join("\n", serverLog)).isTrue();
    }

    /** Stores a PostgreSQL user's credentials through the form, with the template's function rotating it at once. */
    private static void storeDatabaseSecret(String name, String user, String password) {
        browser.get(url("/console/new"));
        assertThat(byId("new-secret").findElement(By.cssSelector("input[value=database]")).isSelected()).isTrue();
        new Select(browser.findElement(By.name("engine"))).selectByVisibleText("postgres");
        browser.findElement(By.name("host")).sendKeys(db.host());
        browser.findElement(By.name("port")).sendKeys(String.valueOf(db.port()));
        browser.findElement(By.name("username")).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.name("dbname")).sendKeys(database);
        new Select(browser.findElement(By.name("ssl"))).selectByValue("false");
        browser.findElement(By.name("name")).sendKeys(name);
        browser.findElement(By.name("description")).sendKeys("the app's database login");
        browser.findElement(By.name("tags")).sendKeys("team=payments");
        new Select(browser.findElement(By.name("function"))).selectByValue(functionArn);
        assertThat(browser.findElement(By.name("immediately")).isSelected()).isTrue();
        byId("store").click();
        try {
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("/console/secret?id="));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the store form did not lead to the secret's page: " + browser.getCurrentUrl()
                    + "\n" + browser.getPageSource(), e);
        }
    }

    private static List<WebElement> bars(String label, String version, boolean open) {
        return browser.findElements(By.cssSelector("svg.timeline rect.bar[data-label=" + label + "][data-version='"
                + version + "'][data-open=" + open + "]"));
    }

    private static String versionWith(String label) {
        for (WebElement row : browser.findElements(By.cssSelector("table.versions tr.version"))) {
            if (row.getText().contains(label)) {
                return row.getAttribute("data-version");
            }
        }
        throw new AssertionError("no version holds " + label);
    }

    @Test
    @Order(1)
    void storeRotateAndRetrieve_theTimelineMovesTheLabels() throws Exception {
        String user = "console_" + UUID.randomUUID().toString().substring(0, 8);
        String firstPassword = "First-" + UUID.randomUUID();
        typedSecrets.add(firstPassword);
        db.createAppUser(database, user, firstPassword);
        String name = "console/" + user;
        storeDatabaseSecret(name, user, firstPassword);
        rotatedSecretArn = java.net.URLDecoder.decode(browser.getCurrentUrl().substring(
                browser.getCurrentUrl().indexOf("id=") + 3), StandardCharsets.UTF_8);
        assertThat(byId("flash").getText()).contains("Stored", "rotation");
        awaitRotations();

        browser.navigate().refresh();
        String second = versionWith("AWSCURRENT");
        String first = versionWith("AWSPREVIOUS");
        assertThat(bars("AWSCURRENT", second, true)).as("the rotated version holds AWSCURRENT now").hasSize(1);
        assertThat(bars("AWSCURRENT", first, false)).as("the first version held it until the rotation").hasSize(1);
        assertThat(bars("AWSPREVIOUS", first, true)).hasSize(1);

        byId("rotate").findElement(By.tagName("button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("flash")).getText()
                .contains("Rotation started"));
        awaitRotations();
        browser.navigate().refresh();
        String third = versionWith("AWSCURRENT");
        assertThat(third).isNotIn(first, second);
        assertThat(versionWith("AWSPREVIOUS")).isEqualTo(second);
        assertThat(bars("AWSCURRENT", third, true)).hasSize(1);
        assertThat(bars("AWSCURRENT", second, false)).hasSize(1);
        assertThat(bars("AWSPREVIOUS", second, true)).hasSize(1);
        assertThat(bars("AWSPREVIOUS", first, false)).as("AWSPREVIOUS moved on").hasSize(1);
        assertThat(browser.findElements(By.cssSelector("svg.timeline g.row.deprecated[data-version='" + first + "']")))
                .as("the first version is deprecated, greyed").hasSize(1);
        List<WebElement> rotations = browser.findElements(By.cssSelector("table.rotations tr.rotation"));
        assertThat(rotations).hasSize(2).allSatisfy(r -> {
            assertThat(r.getAttribute("data-outcome")).isEqualTo("SUCCEEDED");
            assertThat(r.findElements(By.cssSelector("ol.steps li.ok"))).extracting(WebElement::getText)
                    .map(t -> t.substring(0, t.indexOf(' '))).containsExactly("createSecret", "setSecret", "testSecret",
                            "finishSecret");
        });
        assertThat(byId("last-outcome").getText()).contains("succeeded");
        assertThat(browser.findElement(By.cssSelector("table.tags")).getText()).contains("team", "payments");
        screenshot();

        // Retrieve secret value: not in the page until clicked, then the current value; masked on Hide.
        long readsBefore = audit.stream().filter(ConsoleBrowserIT::consoleRead).count();
        assertThat(byId("secret-value").getText()).isEmpty();
        byId("retrieve-button").click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElement(By.id("secret-value")).getText()
                .isEmpty());
        JsonNode value = JSON.readTree(byId("secret-value").getText());
        assertThat(value.path("username").asText()).isEqualTo(user);
        assertThat(value.path("engine").asText()).isEqualTo("postgres");
        assertThat(value.path("port").asInt()).isEqualTo(db.port());
        assertThat(value.path("ssl").asBoolean(true)).isFalse();
        String password = value.path("password").asText();
        assertThat(password).isNotEqualTo(firstPassword);
        assertThat(db.canLogin(database, user, password)).as("the retrieved password logs in").isTrue();
        assertThat(db.canLogin(database, user, firstPassword)).isFalse();
        assertThat(audit.stream().filter(ConsoleBrowserIT::consoleRead)).as("recorded as GetSecretValue")
                .hasSize((int) readsBefore + 1);
        byId("hide-button").click();
        assertThat(byId("secret-value").getText()).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(password);
    }

    @Test
    @Order(2)
    void aRotationThatFails_isMarkedFailedInTheListAndOnItsPage() throws Exception {
        String user = "console_" + UUID.randomUUID().toString().substring(0, 8);
        String realPassword = "Real-" + UUID.randomUUID();
        String wrongPassword = "Wrong-" + UUID.randomUUID();
        typedSecrets.add(realPassword);
        typedSecrets.add(wrongPassword);
        db.createAppUser(database, user, realPassword);
        String name = "console/broken-" + user;
        storeDatabaseSecret(name, user, wrongPassword);
        awaitRotations();
        browser.navigate().refresh();
        assertThat(byId("last-outcome").findElement(By.cssSelector(".badge")).getAttribute("data-outcome"))
                .isEqualTo("FAILED");
        assertThat(byId("last-outcome").getText()).contains("setSecret", "2 attempt(s)");
        WebElement rotation = browser.findElement(By.cssSelector("table.rotations tr.rotation"));
        assertThat(rotation.getAttribute("class")).contains("bad");
        assertThat(rotation.getAttribute("data-outcome")).isEqualTo("FAILED");
        assertThat(rotation.findElements(By.cssSelector("ol.steps li.failed"))).isNotEmpty()
                .allSatisfy(li -> assertThat(li.getText()).startsWith("setSecret"));
        assertThat(versionWith("AWSPENDING")).isNotEqualTo(versionWith("AWSCURRENT"));
        assertThat(browser.findElements(By.cssSelector("svg.timeline rect.bar[data-label=AWSPENDING]"))).hasSize(1);

        // The list: filtered by name prefix, the failed one stands out; the good one does not.
        browser.get(url("/console"));
        browser.findElement(By.name("value")).sendKeys("console/");
        browser.findElement(By.cssSelector("form.filter button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("value="));
        WebElement broken = browser.findElement(By.cssSelector("tr.secret[data-name='" + name + "']"));
        assertThat(broken.getAttribute("class")).contains("bad");
        assertThat(broken.findElement(By.cssSelector(".badge.outcome")).getAttribute("data-outcome")).isEqualTo("FAILED");
        assertThat(broken.getText()).contains("on, every 30 days");
        assertThat(browser.findElements(By.cssSelector("tr.secret:not(.bad) .badge.outcome[data-outcome=SUCCEEDED]")))
                .hasSize(1);
        new Select(browser.findElement(By.name("key"))).selectByVisibleText("tag-value");
        browser.findElement(By.name("value")).clear();
        browser.findElement(By.name("value")).sendKeys("nobody-has-this");
        browser.findElement(By.cssSelector("form.filter button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("nobody-has-this"));
        assertThat(browser.findElements(By.cssSelector("tr.secret"))).isEmpty();
    }

    @Test
    @Order(3)
    void aFormOnAnotherSite_cannotDeleteTheSecret() throws Exception {
        browser.get(url("/console/secret?id=" + Console.url(rotatedSecretArn)));
        HttpServer evil = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String page = "<!DOCTYPE html><html><body><form id=f method=post action=\"" + url("/console/action") + "\">"
                + "<input name=do value=delete><input name=recoveryDays value=7><input name=id value=\""
                + rotatedSecretArn + "\"><input name=csrf value=guessed></form>"
                + "<script>document.getElementById('f').submit()</script></body></html>";
        evil.createContext("/", x -> {
            byte[] b = page.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "text/html");
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        evil.start();
        try {
            int before = exchanges.size();
            browser.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> exchanges.size() > before
                    && exchanges.get(exchanges.size() - 1).method().equals("POST"));
            Exchange post = exchanges.get(exchanges.size() - 1);
            assertThat(post.status()).isEqualTo(403);
            assertThat(post.body()).startsWith("Refused");
        } finally {
            evil.stop(0);
        }
        assertThat(audit).noneMatch(e -> e.eventName().equals("DeleteSecret"));
        browser.get(url("/console/secret?id=" + Console.url(rotatedSecretArn)));
        assertThat(browser.findElements(By.id("deletion"))).isEmpty();
    }

    @Test
    @Order(4)
    void editScheduleCancelDeleteAndRestore_fromTheSecretPage() {
        String page = url("/console/secret?id=" + Console.url(rotatedSecretArn));
        browser.get(page);
        browser.findElement(By.cssSelector("#schedule")).findElement(By.xpath("..")).findElement(By.tagName("summary"))
                .click();
        WebElement days = browser.findElement(By.cssSelector("#schedule input[name=days]"));
        days.clear();
        days.sendKeys("10");
        browser.findElement(By.cssSelector("#schedule input[name=window]")).sendKeys("4h");
        browser.findElement(By.cssSelector("#schedule button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("flash")).getText()
                .contains("Rotation schedule saved"));
        awaitRotations(); // RotateImmediately=false: the service tests the function with testSecret
        browser.get(page);
        assertThat(browser.findElement(By.cssSelector("dl.facts")).getText()).contains("on, every 10 days (window 4h)");

        byId("cancel").findElement(By.tagName("button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("flash")).getText()
                .contains("Rotation cancelled"));
        assertThat(browser.findElement(By.cssSelector("dl.facts")).getText()).contains("Rotation\noff");

        browser.findElement(By.cssSelector("#delete")).findElement(By.xpath("..")).findElement(By.tagName("summary"))
                .click();
        WebElement window = browser.findElement(By.cssSelector("#delete input[name=recoveryDays]"));
        window.clear();
        window.sendKeys("7");
        browser.findElement(By.cssSelector("#delete button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("deletion")).isEmpty());
        assertThat(audit).filteredOn(e -> e.eventName().equals("DeleteSecret")).singleElement()
                .satisfies(e -> assertThat(e.json().path("requestParameters").path("recoveryWindowInDays").asInt())
                        .isEqualTo(7));
        browser.get(url("/console?deleted=on"));
        assertThat(browser.findElement(By.cssSelector("tr.secret[data-name^='console/console_']")).getText())
                .contains("scheduled for deletion");
        browser.get(page);
        byId("restore").findElement(By.tagName("button")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("flash")).getText()
                .contains("Restored"));
        assertThat(browser.findElements(By.id("deletion"))).isEmpty();
    }

    private static boolean consoleRead(AuditEvent e) {
        return e.eventName().equals("GetSecretValue") && e.json().path("userAgent").asText().startsWith("local-console");
    }

    /** Every value any version of any secret held: none may appear but in an answer to "Retrieve secret value". */
    private static void scanForValues() throws Exception {
        List<String> values = new ArrayList<>(typedSecrets);
        HttpClient http = HttpClient.newHttpClient();
        JsonNode list = api(http, "ListSecrets", "{\"IncludePlannedDeletion\":true}");
        for (JsonNode s : list.path("SecretList")) {
            JsonNode versions = api(http, "ListSecretVersionIds", "{\"SecretId\":\"" + s.path("ARN").asText()
                    + "\",\"IncludeDeprecated\":true}");
            for (JsonNode v : versions.path("Versions")) {
                JsonNode got = api(http, "GetSecretValue", "{\"SecretId\":\"" + s.path("ARN").asText()
                        + "\",\"VersionId\":\"" + v.path("VersionId").asText() + "\"}");
                if (got.has("SecretString")) {
                    JsonNode secret = JSON.readTree(got.get("SecretString").asText());
                    values.add(secret.path("password").asText());
                }
            }
        }
        assertThat(values).hasSizeGreaterThanOrEqualTo(6);
        assertThat(exchanges).isNotEmpty();
        for (Exchange e : exchanges) {
            assertThat(e.target()).as("URLs").doesNotContainAnyWhitespaces();
            for (String v : values) {
                assertThat(e.target()).doesNotContain(v);
                assertThat(e.headers()).doesNotContain(v);
                if (!e.target().equals("/console/value")) {
                    assertThat(e.body()).as("%s %s", e.method(), e.target()).doesNotContain(v);
                }
            }
        }
        for (String v : values) {
            assertThat(audit).allSatisfy(a -> assertThat(a.toJson()).doesNotContain(v));
            assertThat(serverLog).allSatisfy(line -> assertThat(line).doesNotContain(v));
        }
    }

    private static JsonNode api(HttpClient http, String operation, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.endpoint())
                .header("X-Amz-Target", "secretsmanager." + operation)
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void screenshot() throws IOException {
        byte[] png = ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "console-secret.png"), png);
        String to = System.getProperty("console.screenshot");
        if (to != null && !to.isBlank()) {
            Files.write(Path.of(to), png);
        }
    }
}
