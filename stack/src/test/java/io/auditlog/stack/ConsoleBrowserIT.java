package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.uuid.Generators;
import io.auditlog.verify.Jcs;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The web console in a real browser against the real stack (Kafka, PostgreSQL, InfluxDB, gateway, query-service,
 * ingest worker): one cluster and one Chromium shared by every test, in the order an analyst would work. Each screen
 * passes axe-core with no serious or critical violation and is photographed (into {@code console.screenshots}, by
 * default {@code target/console-screenshots}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

  private static final int VARIED = 40;
  private static final Path MERKLE_TESTDATA = Path.of(System.getProperty("merkle.testdata",
      "../../shared/data/merkle-testdata"));
  private static Cluster cluster;
  private static Browser browser;
  private static ConsoleData api;
  private static String adminToken;
  private static String adminKey;
  private static String trailEventId;
  private static Cluster.Tenant other;
  private static long adminEvents;

  /** A screenshot of the moment a test failed, beside the others. */
  @RegisterExtension
  final TestWatcher photographFailures = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      try {
        browser.screenshot("failed-" + context.getRequiredTestMethod().getName());
      } catch (Exception e) {
        cause.addSuppressed(e);
      }
    }
  };

  @BeforeAll
  static void start() throws Exception {
    cluster = new Cluster();
    cluster.startWorker();
    api = new ConsoleData(cluster.base);
    adminToken = api.login("admin", Cluster.ADMIN_PASSWORD);
    adminKey = api.accessKey(adminToken);
    ArrayNode varied = Cluster.JSON.createArrayNode();
    for (int i = 0; i < VARIED; i++) {
      varied.add(ConsoleData.varied(i));
    }
    api.post(adminKey, varied);
    ArrayNode request = Cluster.JSON.createArrayNode();
    for (String step : List.of("checkout.start", "checkout.pay", "checkout.done")) {
      request.add(ConsoleData.event("web", "shop", "prod", "POST", step.endsWith("pay") ? "error" : "success",
          "info", step, "192.0.2.10"));
    }
    trailEventId = api.post(adminKey, request).path("event_id").asText();
    api.post(adminKey, ConsoleData.hostile());
    adminEvents = VARIED + 3 + 1;
    other = cluster.newTenant();
    api.post(other.accessKey(), Cluster.JSON.createArrayNode()
        .add(ConsoleData.event("web", "shop", "prod", "GET", "success", "info", "other-get", "10.9.9.9"))
        .add(ConsoleData.event("web", "shop", "prod", "POST", "success", "info", "other-post", "10.9.9.9")));
    api.awaitCount(adminToken, adminEvents);
    api.awaitCount(other.token(), 2);
    browser = new Browser(Path.of(System.getProperty("console.screenshots", "target/console-screenshots")));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    cluster.close();
  }

  @Test
  @Order(1)
  void theConsoleIsServedWithAStrictPolicy() throws Exception {
    HttpResponse<String> root = api.get("/");
    assertThat(root.statusCode()).isEqualTo(302);
    assertThat(root.headers().firstValue("Location")).hasValue("/console/");
    assertThat(api.get("/console").headers().firstValue("Location")).hasValue("/console/");
    HttpResponse<String> page = api.get("/console/");
    assertThat(page.statusCode()).isEqualTo(200);
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("script-src 'self' 'sha256-", "style-src 'self';", "frame-ancestors 'none'",
        "default-src 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    HttpResponse<String> lit = api.get("/console/lib/lit-html/lit-html.js");
    assertThat(lit.statusCode()).isEqualTo(200);
    assertThat(lit.headers().firstValue("Content-Type").orElse("")).contains("javascript");
    assertThat(api.get("/console/app/main.js").headers().firstValue("Content-Security-Policy")).hasValue(policy);
  }

  @Test
  @Order(2)
  void signInShowsTheNewestEventsFirst() throws Exception {
    browser.driver.get(cluster.base + "/");
    browser.find("#username");
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(cluster.base + "/console/");
    browser.assertAccessible("sign-in");
    browser.screenshot("sign-in");
    browser.find("#username").sendKeys("admin");
    browser.find("#password").sendKeys("wrong-password", Keys.ENTER);
    assertThat(browser.find("#sign-in-error").getText()).isEqualTo("Incorrect username or password.");
    browser.find("#password").clear();
    browser.find("#password").sendKeys(Cluster.ADMIN_PASSWORD, Keys.ENTER);
    awaitCount(adminEvents);
    List<WebElement> rows = rows();
    assertThat(rows).hasSize((int) adminEvents);
    assertThat(browser.js("return sessionStorage.getItem('auditlog.token') !== null")).isEqualTo(true);
    assertThat(browser.driver.getCurrentUrl()).doesNotContain(adminToken).contains("category=web", "app=shop");
    List<String> times = rows.stream().map(r -> r.findElement(By.cssSelector("td.time")).getText()).toList();
    assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
    browser.await(d -> !browser.all("facet-panel .facet li").isEmpty() && !browser.all("count-chart canvas").isEmpty());
    browser.assertAccessible("events");
    browser.screenshot("events");
  }

  @Test
  @Order(3)
  void aSyntaxErrorIsShownAtItsLineAndColumn() throws Exception {
    query("method =");
    WebElement error = browser.find("#query-error");
    assertThat(error.getText()).contains("Line 1, column 9: expected a value after '='");
    assertThat(error.findElement(By.cssSelector("pre")).getText()).isEqualTo("method =\n        ^");
    assertThat(browser.find("#query").getAttribute("aria-invalid")).isEqualTo("true");
    browser.assertAccessible("syntax error");
    browser.screenshot("syntax-error");

    // A query that would escape its parentheses in the commands' filter is never exported.
    query("x = 1) OR (stage > 0");
    browser.find("#query-error");
    browser.find("#export-csv").click();
    assertThat(browser.find("p.error.banner").getText()).contains("Run a query that the service accepts");
  }

  @Test
  @Order(4)
  void aFilterNarrowsTheTableAndCompletionOffersVariablesAndOperators() throws Exception {
    WebElement input = browser.find("#query");
    input.clear();
    input.sendKeys("meth");
    assertThat(browser.find("#query-options li").getText()).isEqualTo("method");
    input.sendKeys(Keys.TAB);
    browser.await(d -> !browser.all("#query-options li").isEmpty());
    assertThat(browser.all("#query-options li").stream().map(WebElement::getText)).contains("=", "!=", "@rx");
    input.sendKeys("= POST", Keys.ENTER);
    assertNarrowed(varied(ConsoleData.METHODS, "POST") + 3, "Method", "POST", "method = POST");
  }

  @Test
  @Order(5)
  void aFacetClickIncludesAValue() throws Exception {
    query("");
    awaitCount(adminEvents);
    WebElement include = browser.await(d -> d.findElement(By.cssSelector(
        "facet-panel [data-field='status'] button[aria-label='Include Status denied']")));
    include.click();
    assertNarrowed(varied(ConsoleData.STATUSES, "denied"), "Status", "denied", "status = 'denied'");
  }

  @Test
  @Order(6)
  void anEventOpensWithItsFieldsAndTrailByKeyboardAndEscReturnsFocus() throws Exception {
    query("event.name = checkout.pay");
    awaitCount(1);
    WebElement row = rows().get(0);
    browser.js("arguments[0].focus()", row);
    row.sendKeys(Keys.ENTER);
    WebElement drawer = browser.find("event-drawer .drawer");
    assertThat(browser.find("#drawer-title").getText()).contains("checkout.pay");
    assertThat(drawer.getText()).contains("event_id", trailEventId, "source_information.application");
    assertThat(drawer.findElement(By.cssSelector(".raw pre")).getText()).contains("\"event_id\": \"" + trailEventId);
    browser.find("#show-trail").click();
    browser.await(d -> browser.all(".timeline li").size() == 3);
    assertThat(browser.all(".timeline li").stream().map(WebElement::getText).toList())
        .satisfiesExactly(a -> assertThat(a).contains("checkout.start"), b -> assertThat(b).contains("checkout.pay"),
            c -> assertThat(c).contains("checkout.done"));
    assertThat(browser.driver.getCurrentUrl()).contains("ev=");
    browser.assertAccessible("event drawer");
    browser.screenshot("event-trail");
    browser.find("#drawer-title").sendKeys(Keys.ESCAPE);
    browser.await(d -> browser.all("event-drawer .drawer").isEmpty());
    assertThat(browser.js("return document.activeElement.dataset.id")).isEqualTo(rows().get(0)
        .getAttribute("data-id"));
  }

  @Test
  @Order(7)
  void aPermalinkReopensTheSameViewAndDrawer() throws Exception {
    rows().get(0).click();
    String id = browser.find("#drawer-title").getText();
    browser.find("#drawer-title");
    String link = browser.driver.getCurrentUrl();
    browser.driver.get("about:blank");
    browser.driver.get(link);
    browser.await(d -> browser.find("#drawer-title").getText().equals(id));
    assertThat(browser.find("#query").getAttribute("value")).isEqualTo("event.name = checkout.pay");
    assertThat(browser.find("event-drawer").getText()).contains(trailEventId);
    awaitCount(1);
    browser.find("#drawer-close").click();
  }

  @Test
  @Order(8)
  void hostileValuesAreRenderedAsTextAndRunNothing() throws Exception {
    query("resource.id = '+SUM(1+1)'");
    awaitCount(1);
    rows().get(0).click();
    WebElement drawer = browser.find("event-drawer .drawer");
    assertThat(drawer.getText()).contains("<script>window.__xss='type'</script>",
        "<img src=x onerror=\"window.__xss='name'\">", "javascript:window.__xss='description'",
        "\"><svg onload=window.__xss='origin'>", "javascript:alert(document.domain)");
    assertThat(browser.js("return window.__xss === undefined")).isEqualTo(true);
    assertThat(browser.js("return document.querySelectorAll('main img, main script, main svg[onload], main a')"
        + ".length")).isEqualTo(0L);
    browser.screenshot("hostile-event");
    browser.find("#drawer-close").click();
  }

  @Test
  @Order(9)
  void draggingAcrossTheChartNarrowsTheRange() throws Exception {
    query("");
    awaitCount(adminEvents);
    WebElement over = browser.find("count-chart .u-over");
    int width = over.getRect().getWidth();
    new Actions(browser.driver).moveToElement(over, -width / 2 + 5, 0).clickAndHold()
        .moveByOffset(width - 10, 0).release().perform();
    browser.await(d -> d.getCurrentUrl().contains("from="));
    assertThat(browser.driver.getCurrentUrl()).doesNotContain("range=");
    assertThat(browser.all(".presets button[aria-pressed='true']")).isEmpty();
    browser.await(d -> !browser.find("#result-count").getText().startsWith("Loading"));
    assertThat(browser.find("#range-from").getAttribute("value")).isNotEmpty();
    browser.find(".presets button:nth-child(2)").click();
  }

  @Test
  @Order(10)
  void exportDownloadsTheWholeResultWithFormulasDefused() throws Exception {
    query("");
    awaitCount(adminEvents);
    browser.find("#export-csv").click();
    Path csv = browser.await(Duration.ofSeconds(20), d -> downloaded(".csv"));
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).startsWith("timestamp,id,event_id,category,application");
    assertThat(String.join("\n", lines)).contains("'+SUM(1+1)", "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"",
        "'-cmd").doesNotContain(",+SUM", ",=HYPERLINK", "other-get");
    browser.find("#export-ndjson").click();
    Path ndjson = browser.await(Duration.ofSeconds(20), d -> downloaded(".ndjson"));
    assertThat(Files.readAllLines(ndjson)).hasSize((int) adminEvents);
  }

  @Test
  @Order(11)
  void anExportObeysTheTenantAndTheTokensView() throws Exception {
    String everything = api.export("ndjson", "", "Authorization", "Bearer " + other.token());
    assertThat(everything.lines()).hasSize(2).allSatisfy(line -> assertThat(line).contains("\"other-"));
    assertThat(api.export("csv", "origin = 10.0.0.1", "Authorization", "Bearer " + other.token()).lines())
        .as("only the header: another tenant's events are out of reach").hasSize(1);
    JsonNode token = api.createToken(adminToken, "{\"name\":\"gets\",\"view\":\"method = GET\"}");
    String gets = api.export("ndjson", "", "X-Auth-Token", token.path("token").asText());
    long expected = varied(ConsoleData.METHODS, "GET") + 1;
    assertThat(gets.lines()).hasSize((int) expected)
        .allSatisfy(line -> assertThat(line).contains("\"method\":\"GET\""));
    assertThat(api.export("ndjson", "method = POST", "X-Auth-Token", token.path("token").asText())).isEmpty();
    assertThat(api.get("/api/events/export?format=xml", "X-Auth-Token", token.path("token").asText(), 422).body())
        .contains("format");
  }

  @Test
  @Order(12)
  void liveTailShowsNewEventsPausesOnScrollAndResumes() throws Exception {
    query("");
    awaitCount(adminEvents);
    browser.find("#live").click();
    api.post(adminKey, ConsoleData.event("web", "shop", "prod", "PUT", "success", "info", "tail-1", "10.1.1.1"));
    adminEvents++;
    browser.await(Duration.ofSeconds(20), d -> column("Event").get(0).equals("tail-1"));
    browser.js("document.querySelector('.table-scroll').scrollTop = 200;"
        + "document.querySelector('.table-scroll').dispatchEvent(new Event('scroll'))");
    browser.find("#live-paused");
    api.post(adminKey, ConsoleData.event("web", "shop", "prod", "PUT", "success", "info", "tail-2", "10.1.1.1"));
    adminEvents++;
    browser.await(Duration.ofSeconds(20), d -> browser.find("#live-paused").getText().contains("1 new"));
    assertThat(column("Event").get(0)).isEqualTo("tail-1");
    browser.screenshot("live-tail-paused");
    browser.find("#live-resume").click();
    browser.await(d -> column("Event").get(0).equals("tail-2"));
    // A poll still waiting for its answer when the table is cleared brings nothing back: hold the next poll's
    // request, clear, then let it through.
    browser.js("window.heldPolls = []; const fetched = window.fetch;"
        + "window.fetch = (path, options) => String(path).startsWith('/audit/log')"
        + " ? new Promise((resolve) => window.heldPolls.push(() => resolve(fetched(path, options))))"
        + " : fetched(path, options);"
        + "window.releasePolls = () => { window.fetch = fetched; window.heldPolls.forEach((release) => release()); };");
    browser.await(d -> ((Number) browser.js("return window.heldPolls.length;")).intValue() > 0);
    browser.find("#live-clear").click();
    browser.await(d -> rows().isEmpty());
    browser.js("window.releasePolls();");
    browser.await(d -> Boolean.FALSE.equals(browser.js("return document.querySelector('audit-console').polling;")));
    assertThat(rows()).as("rows after the held poll was answered").isEmpty();
    browser.find("#live").click();
  }

  @Test
  @Order(13)
  void tokensAreCreatedListedAndRevoked() throws Exception {
    browser.find("#nav-tokens").click();
    browser.find("#token-name").sendKeys("read-only gets");
    browser.find("#token-view").sendKeys("method = GET");
    browser.find("#token-form button[type=submit]").click();
    String secret = browser.find("#token-secret").getText();
    assertThat(secret).startsWith("alt_");
    browser.await(d -> browser.find("token-view tbody").getText().contains("read-only gets"));
    assertThat(api.get("/api/events/count", "X-Auth-Token", secret, 200).body().trim())
        .isEqualTo(Long.toString(varied(ConsoleData.METHODS, "GET") + 1));
    assertThat(api.get("/api/events/delete?limit=1", "X-Auth-Token", secret, 403).statusCode()).isEqualTo(403);
    browser.assertAccessible("tokens");
    browser.screenshot("tokens");
    WebElement row = browser.await(d -> d.findElements(By.cssSelector("token-view tbody tr")).stream()
        .filter(r -> r.getText().contains("read-only gets")).findFirst().orElseThrow());
    row.findElement(By.cssSelector("button.danger")).click();
    browser.await(d -> !browser.find("token-view tbody").getText().contains("read-only gets"));
    assertThat(api.get("/api/events/count", "X-Auth-Token", secret, 401).statusCode()).isEqualTo(401);
  }

  @Test
  @Order(14)
  void anAdminSetsAUsersViewAndThatUserSeesOnlyIt() throws Exception {
    browser.find("#nav-users").click();
    WebElement input = browser.find("user-view input[aria-label='View of " + other.username() + "']");
    input.clear();
    input.sendKeys("method = GET", Keys.ENTER);
    browser.await(d -> browser.find("user-view [role=status]").getText().contains(other.username()));
    browser.assertAccessible("users");
    browser.screenshot("users");
    browser.find("#sign-out").click();
    browser.find("#username").sendKeys(other.username());
    browser.find("#password").sendKeys(other.password(), Keys.ENTER);
    awaitCount(1);
    assertThat(column("Event")).containsExactly("other-get");
    assertThat(browser.find("#whoami").getText()).contains("limited view");
    assertThat(browser.all("#nav-users")).isEmpty();
    browser.find("#sign-out").click();
    browser.find("#username").sendKeys("admin");
    browser.find("#password").sendKeys(Cluster.ADMIN_PASSWORD, Keys.ENTER);
    browser.find("#nav-events").click();
  }

  @Test
  @Order(15)
  void metricsAreChartedByAggregationAndGroup() throws Exception {
    browser.find("#nav-metrics").click();
    browser.await(d -> !browser.all("metric-view canvas").isEmpty());
    new org.openqa.selenium.support.ui.Select(browser.find("#group")).selectByValue("status");
    // The ungrouped chart already names its one series: wait for the grouped one, not for any label.
    browser.await(d -> browser.find("metric-view .plot").getAttribute("aria-label")
        .matches("mean of \\w+: [2-9] series.*"));
    assertThat(browser.find("metric-view .plot").getAttribute("aria-label")).matches("mean of \\w+: [2-9] series.*");
    browser.assertAccessible("metrics");
    browser.screenshot("metrics");
    browser.find("#nav-events").click();
  }

  @Test
  @Order(16)
  void keyboardFocusesTheQueryAndTheDarkThemeIsAccessibleToo() throws Exception {
    awaitCount(adminEvents);
    browser.find("body").sendKeys("/");
    assertThat(browser.js("return document.activeElement.id")).isEqualTo("query");
    browser.find("#theme").click();
    assertThat(browser.js("return document.documentElement.dataset.theme")).isEqualTo("dark");
    rows().get(0).click();
    browser.find("event-drawer .drawer");
    browser.assertAccessible("events, dark theme");
    browser.screenshot("events-dark");
    browser.find("#drawer-close").click();
    browser.find("#theme").click();
    browser.find("#theme").click();
  }

  @Test
  @Order(17)
  void theDrawerShowsTheEventsProofCheckedInTheBrowserInBothThemesAndFromItsPermalink() throws Exception {
    query("event.name = checkout.pay");
    awaitCount(1);
    String id = rows().get(0).getAttribute("data-id");
    rows().get(0).click();
    WebElement status = awaitProof();
    assertThat(status.getText()).matches("Included in checkpoint of size \\d+ — proof checked in this browser");
    String tenant = adminTenant();
    JsonNode proof = Cluster.JSON.readTree(api.get("/audit/" + tenant + "/proof/inclusion?id=" + id,
        "Authorization", "Bearer " + adminToken, 200).body());
    List<String> facts = browser.all("history-proof dd").stream().map(WebElement::getText).toList();
    assertThat(facts).hasSize(3);
    long seq = proof.path("seq").asLong();
    assertThat(facts.get(0)).isEqualTo(Long.toString(seq));
    assertThat(Long.parseLong(facts.get(1))).isBetween(seq + 1, proof.path("tree_size").asLong());
    assertThat(status.getText()).contains("size " + facts.get(1) + " — ");
    assertThat(facts.get(2)).endsWith("/audit/" + tenant);
    assertThat(browser.find("history-proof").getText()).contains("signature is not checked here", "bin/verify");
    assertThat(browser.all("p.error.banner")).isEmpty();
    browser.assertAccessible("event drawer with its proof");
    browser.screenshot("event-history");
    browser.find("#theme").click();
    assertThat(browser.js("return document.documentElement.dataset.theme")).isEqualTo("dark");
    browser.assertAccessible("event drawer with its proof, dark theme");
    browser.screenshot("event-history-dark");
    browser.find("#theme").click();
    browser.find("#theme").click();
    // The same event from its permalink, read with /api/events/get.
    browser.driver.navigate().refresh();
    browser.await(d -> browser.find("event-drawer").getText().contains(trailEventId));
    assertThat(awaitProof().getText()).matches("Included in checkpoint of size \\d+ — proof checked in this browser");
    browser.find("#drawer-close").click();
  }

  @Test
  @Order(18)
  void anEventChangedInTheDatabaseAfterItWasStoredFailsItsCheckWhereverTheDrawerReadIt() throws Exception {
    String id = storeChecked("changed.later");
    String tenant = adminTenant();
    JsonNode point = cluster.influxAsAdmin(tenant, "SELECT * FROM web WHERE \"id\" = '" + id + "'").path("results")
        .path(0).path("series").path(0);
    long time = point.path("values").path(0).path(0).asLong();
    cluster.writeAsAdmin(tenant, cluster.seriesKeyOf(tenant, point) + " origin=\"192.0.2.66\" " + time);
    String failed = "Proof failed — the event shown differs from what the history committed to (field changed after"
        + " it was stored?). Do not rely on this answer.";

    // From the table (/audit/log), read again after the change.
    browser.driver.navigate().refresh();
    awaitCount(1);
    rows().get(0).click();
    assertThat(browser.find("event-drawer .drawer").getText()).contains("192.0.2.66");
    assertThat(awaitProof().getText()).isEqualTo(failed);
    assertThat(browser.all("history-proof dd")).isEmpty();
    browser.assertAccessible("event drawer with a failed proof");
    browser.screenshot("event-history-failed");

    // From its permalink (/api/events/get), in the dark theme.
    assertThat(browser.driver.getCurrentUrl()).contains("ev=" + id);
    browser.driver.navigate().refresh();
    browser.await(d -> browser.find("event-drawer .drawer").getText().contains("192.0.2.66"));
    assertThat(awaitProof().getText()).isEqualTo(failed);
    browser.find("#theme").click();
    assertThat(browser.js("return document.documentElement.dataset.theme")).isEqualTo("dark");
    browser.assertAccessible("event drawer with a failed proof, dark theme");
    browser.screenshot("event-history-failed-dark");
    browser.find("#theme").click();
    browser.find("#theme").click();
    browser.find("#drawer-close").click();
  }

  @Test
  @Order(19)
  void anEventErasedWhileShownIsExplainedByItsErasureRecordCheckedInTheBrowser() throws Exception {
    String id = storeChecked("erased.later");
    assertThat(api.get("/api/events/delete?limit=1&filter=" + ConsoleData.encode("event.name = erased.later"),
        "Authorization", "Bearer " + adminToken, 200).body().strip()).isEqualTo("1");
    adminEvents--;
    JsonNode proof = Cluster.JSON.readTree(api.get("/audit/" + adminTenant() + "/proof/inclusion?id=" + id,
        "Authorization", "Bearer " + adminToken, 200).body());
    assertThat(proof.path("status").asText()).isEqualTo("redacted");

    // The table still shows the event as it was read before the delete.
    rows().get(0).click();
    WebElement status = awaitProof();
    assertThat(status.getAttribute("data-status")).isEqualTo("redacted");
    assertThat(status.getText()).isEqualTo("Erased — recorded by an erasure record at seq "
        + proof.path("erasure").path("seq").asLong() + " (checked in this browser)");
    assertThat(browser.all("history-proof dd").get(0).getText()).isEqualTo(proof.path("seq").asText());
    browser.assertAccessible("event drawer of an erased event");
    browser.screenshot("event-history-erased");
    browser.find("#drawer-close").click();
  }

  @Test
  @Order(20)
  void theInBrowserCheckHoldsForTheVectorsAndFailsForWrongProofs() throws Exception {
    ArrayNode cases = Cluster.JSON.createArrayNode();
    try (Stream<Path> files = Files.walk(MERKLE_TESTDATA.resolve("inclusion"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode json = Cluster.JSON.readTree(file.toFile());
        cases.addObject().put("name", MERKLE_TESTDATA.relativize(file).toString())
            .put("leafIdx", json.path("leafIdx").asText()).put("treeSize", json.path("treeSize").asText())
            .put("leafHash", json.path("leafHash").asText()).put("root", json.path("root").asText())
            .put("wantErr", json.path("wantErr").asBoolean()).set("proof", json.path("proof"));
      }
    }
    assertThat(cases).hasSizeGreaterThan(90);
    String script = new String(ConsoleBrowserIT.class.getClassLoader().getResourceAsStream("inclusion-vectors.js")
        .readAllBytes(), StandardCharsets.UTF_8);
    JsonNode result = Cluster.JSON.readTree((String) browser.driver.executeAsyncScript(script, cases.toString()));
    assertThat(result.path("wrong")).as("cases that did not pass or fail as they should").isEmpty();
    // Besides the files: three leaf hashes, the project's one-leaf proof with 15 mutations of the answer and 7 of the
    // event shown, and an erased event's proof with 8 mutations.
    assertThat(result.path("checked").asInt()).isEqualTo(cases.size() + 35);
  }

  @Test
  @Order(21)
  void theInBrowserCanonicalFormHoldsForRfc8785AndTheProjectVector() throws Exception {
    String script = new String(ConsoleBrowserIT.class.getClassLoader().getResourceAsStream("jcs-vectors.js")
        .readAllBytes(), StandardCharsets.UTF_8);
    JsonNode result = Cluster.JSON.readTree((String) browser.driver.executeAsyncScript(script));
    assertThat(result.path("wrong")).as("cases that did not come out as they should").isEmpty();
    // Appendix B's 26 numbers (NaN and Infinity refused), §3.2.2 in text and in UTF-8, §3.2.3, escapes, nesting,
    // 3 more refusals, and the project vector's document, its length, commitment and entry.
    assertThat(result.path("checked").asInt()).isEqualTo(38);
  }

  @Test
  @Order(21)
  void theServicesNumbersAreWrittenAsTheBrowsersEngineWritesThem() {
    // The worker commits to numbers written by the verify module's own shortest-digits code; a JavaScript engine's
    // Number::toString is what RFC 8785 names. Random bit patterns, measured-looking values, integers beyond 2^53,
    // and the neighbours of powers of two and ten, in one round trip to the page.
    SplittableRandom random = new SplittableRandom(8785);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      values.add(Double.longBitsToDouble(random.nextLong()));
      values.add(random.nextDouble() * Math.pow(10, random.nextInt(-9, 22)));
      values.add((double) random.nextLong());
    }
    for (int exponent = -1074; exponent <= 1023; exponent++) {
      double power = Math.scalb(1.0, exponent);
      values.addAll(List.of(power, Math.nextUp(power), Math.nextDown(power)));
    }
    for (int exponent = -323; exponent <= 308; exponent++) {
      double power = Double.parseDouble("1e" + exponent);
      values.addAll(List.of(power, Math.nextUp(power), Math.nextDown(power)));
    }
    List<String> bits = new ArrayList<>();
    List<String> ours = new ArrayList<>();
    for (double value : values) {
      if (Double.isFinite(value)) {
        bits.add(Long.toHexString(Double.doubleToRawLongBits(value)));
        ours.add(Jcs.canonical(value));
      }
    }
    Object wrong = browser.js("const bits = arguments[0], ours = arguments[1], wrong = [];"
        + "const view = new DataView(new ArrayBuffer(8));"
        + "for (let i = 0; i < bits.length && wrong.length < 20; i++) {"
        + "  view.setBigUint64(0, BigInt('0x' + bits[i]));"
        + "  const text = String(view.getFloat64(0));"
        + "  if (text !== ours[i]) wrong.push(bits[i] + ': the engine writes ' + text + ', the service ' + ours[i]);"
        + "}"
        + "return [bits.length, wrong];", bits, ours);
    assertThat((List<?>) wrong).element(0).isEqualTo((long) bits.size());
    assertThat((List<?>) ((List<?>) wrong).get(1)).isEmpty();
  }

  @Test
  @Order(22)
  void aPendingProofIsAskedForAgainUntilItLeavesThePage() throws Exception {
    // An id the service has not stored yet, minted now: pending (202) for a minute.
    String id = Generators.timeBasedEpochGenerator().generate().toString();
    browser.js("performance.clearResourceTimings();"
        + "const p = document.createElement('history-proof');"
        + "Object.assign(p, {id: 'pending-proof', tenant: arguments[0], event: {id: arguments[1]}});"
        + "document.body.append(p);", adminTenant(), id);
    WebElement status = browser.find("#pending-proof #history-status");
    browser.await(d -> "pending".equals(status.getAttribute("data-status")));
    assertThat(status.getText()).isEqualTo("Pending — not yet covered by a signed checkpoint");
    browser.await(Duration.ofSeconds(10), d -> proofRequests().size() >= 3);
    browser.js("document.getElementById('pending-proof').remove()");
    List<Double> asked = proofRequests();
    assertThat(IntStream.range(1, asked.size()).mapToDouble(i -> asked.get(i) - asked.get(i - 1)))
        .as("ms between two requests").allSatisfy(gap -> assertThat(gap).isGreaterThan(900));
    Thread.sleep(2500);
    assertThat(proofRequests()).as("no request after the section left the page").hasSameSizeAs(asked);
  }

  @Test
  @Order(23)
  void aThousandRowsStayResponsiveAndTheFirstScreenIsQuick() throws Exception {
    ArrayNode bulk = Cluster.JSON.createArrayNode();
    for (int i = 0; i < 1000; i++) {
      bulk.add(ConsoleData.event("bulk", "load", "prod", ConsoleData.METHODS[i % 5], ConsoleData.STATUSES[i % 5],
          ConsoleData.LEVELS[i % 5], "bulk-" + i, "10.2.0." + (i % 200)));
    }
    api.post(adminKey, bulk);
    api.awaitCount(adminToken, adminEvents + 1000);
    String link = cluster.base + "/console/#v=events&category=bulk&app=load&range=1h";
    browser.driver.get("about:blank");
    browser.driver.get(link);
    browser.await(d -> rows().size() == 100);
    double firstScreen = ((Number) browser.js(
        "return performance.getEntriesByName('console-ready')[0].startTime")).doubleValue();
    // The count, the chart and the top values come after the first rows; none of them may move the table.
    browser.await(d -> browser.find("#result-count").getText().equals("100 of 1,000 events")
        && !browser.all("count-chart .uplot").isEmpty() && !browser.all("facet-panel .facet li").isEmpty());
    Object tableShifts = browser.js("const after = arguments[0];"
        + "return new Promise(resolve => { const moved = [];"
        + "new PerformanceObserver((list) => moved.push(...list.getEntries()"
        + "  .filter(e => e.startTime > after && e.sources.some(s => s.node?.closest?.('event-table')))"
        + "  .map(e => e.startTime + ' ms: ' + e.value))).observe({type: 'layout-shift', buffered: true});"
        + "setTimeout(() => resolve(moved), 200); });", firstScreen);
    assertThat((List<?>) tableShifts).as("layout shifts of the table after the first screen").isEmpty();
    while (rows().size() < 1000) {
      int before = rows().size();
      browser.find("#load-older").click();
      browser.await(d -> rows().size() > before);
    }
    long start = System.nanoTime();
    Object openMillis = browser.js("const t = performance.now();"
        + "document.querySelector('event-table tbody tr:nth-child(900)').click();"
        + "return new Promise(r => requestAnimationFrame(() => setTimeout(() => r(performance.now() - t))));");
    browser.find("event-drawer .drawer");
    Object restyleMillis = browser.js("const t = performance.now();"
        + "document.querySelector('#theme').click();"
        + "return new Promise(r => requestAnimationFrame(() => setTimeout(() => r(performance.now() - t))));");
    long roundTrip = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("console numbers: first screen %.0f ms, open a row of 1,000 %s ms, restyle 1,000 rows %s ms"
        + " (%d ms through WebDriver)%n", firstScreen, openMillis, restyleMillis, roundTrip);
    assertThat(firstScreen).as("first screen, ms").isLessThan(3000);
    assertThat(((Number) openMillis).doubleValue()).as("opening a row among 1,000, ms").isLessThan(500);
    browser.find("#theme").click();
    browser.find("#theme").click();
    browser.screenshot("thousand-rows");
  }

  /**
   * Stores one event named {@code name}, opens it from the table once it is counted and waits until the drawer shows
   * its proof checked; answers its id, the drawer closed again.
   */
  private static String storeChecked(String name) throws Exception {
    api.post(adminKey, ConsoleData.event("web", "shop", "prod", "POST", "success", "info", name, "192.0.2.20"));
    api.awaitCount(adminToken, ++adminEvents);
    query("event.name = " + name);
    awaitCount(1);
    rows().get(0).click();
    assertThat(awaitProof().getAttribute("data-status")).isEqualTo("checked");
    String id = rows().get(0).getAttribute("data-id");
    browser.find("#drawer-close").click();
    return id;
  }

  /** The drawer's history status line, once it is neither loading nor pending. */
  private static WebElement awaitProof() {
    WebElement status = browser.find("#history-status");
    browser.await(Duration.ofSeconds(20),
        d -> !List.of("loading", "pending").contains(status.getAttribute("data-status")));
    return status;
  }

  /** When the page asked for an inclusion proof, in ms since it loaded. */
  @SuppressWarnings("unchecked")
  private static List<Double> proofRequests() {
    return ((List<Number>) browser.js("return performance.getEntriesByType('resource')"
        + ".filter(e => e.name.includes('/proof/inclusion')).map(e => e.startTime)")).stream()
        .map(Number::doubleValue).toList();
  }

  private static String adminTenant() throws Exception {
    return Cluster.JSON.readTree(api.get("/users/me", "Authorization", "Bearer " + adminToken, 200).body())
        .path("id").asText();
  }

  /** How many of the varied events have {@code value} in the field that {@code values} cycles through. */
  private static long varied(String[] values, String value) {
    return IntStream.range(0, VARIED).filter(i -> values[i % values.length].equals(value)).count();
  }

  /** The table shows {@code count} events, each with {@code value} in {@code column}, for the query {@code query}. */
  private static void assertNarrowed(long count, String column, String value, String query) {
    awaitCount(count);
    assertThat(column(column)).containsOnly(value);
    assertThat(browser.find("#query").getAttribute("value")).isEqualTo(query);
  }

  private static void query(String text) {
    WebElement input = browser.find("#query");
    input.clear();
    browser.js("arguments[0].value = arguments[1]", input, text);
    input.sendKeys(Keys.END, Keys.ENTER);
  }

  private static List<WebElement> rows() {
    return browser.all("event-table tbody tr");
  }

  /** Waits until the table shows exactly {@code count} rows and the count says so. */
  private static void awaitCount(long count) {
    browser.await(d -> rows().size() == count && browser.find("#result-count").getText()
        .startsWith(count + " of " + count));
  }

  private static List<String> column(String label) {
    List<String> headers = browser.all("event-table thead th").stream().map(WebElement::getText).toList();
    int index = headers.indexOf(label) + 1;
    return browser.all("event-table tbody tr td:nth-child(" + index + ")").stream().map(WebElement::getText).toList();
  }

  private static Path downloaded(String suffix) {
    try (Stream<Path> files = Files.list(browser.downloads)) {
      return files.filter(f -> f.toString().endsWith(suffix)).findFirst().orElse(null);
    } catch (Exception e) {
      return null;
    }
  }
}
