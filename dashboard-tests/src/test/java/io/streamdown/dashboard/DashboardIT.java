package io.streamdown.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.local.Service;
import io.streamdown.local.StackLauncher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium against a whole stack (real broker, the four services as
 * processes), with an API key required by query-service: the page asks for the key, a view and a
 * key are picked, events posted to ingest show up in the charts and the top-N table without a
 * reload, the pipeline panel shows every service, the layout holds at phone width, and stopping
 * query-service brings up the error state. The browser's console must stay free of errors
 * throughout; the only failed requests allowed are those the page expects (401 before the key is
 * given, a 404 from a service without the event stream, refused connections once query-service
 * is gone). Screenshots go to {@code target/screenshots} (and to {@code docs/} with {@code
 * -Dstreamdown.dashboard.docs=true}).
 */
@DisabledIfSystemProperty(
    named = "streamdown.browser.skip",
    matches = "true",
    disabledReason = "browser tests skipped (-Dstreamdown.browser.skip=true)")
class DashboardIT {

  private static final String TOKEN = "dashboard-it-" + UUID.randomUUID();
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String TYPE = "dash";

  private static StackLauncher stack;
  private static Browser browser;
  private static Path screenshots;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    Browser.requireInstalled(); // before the stack: a missing browser fails at once
    Path target = DashboardStack.targetDir();
    screenshots = target.resolve("screenshots");
    stack = DashboardStack.start(sha256(TOKEN));
    browser = Browser.start(target.resolve("browser"));
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
    DashboardStack.publishScreenshots(screenshots);
  }

  @Test
  void pickAViewAndKeySeeLiveUpdatesThenTheErrorState() throws Exception {
    ChromeDriver driver = browser.driver();
    browser.viewport(1280, 800);
    driver.get(stack.service(Service.QUERY).url("/").toString());

    // Keys are configured: the page itself loads without one, then asks for it.
    waitFor(driver, d -> d.findElement(By.id("api-key")).isDisplayed());
    driver.findElement(By.id("api-key")).sendKeys(TOKEN);
    driver.findElement(By.cssSelector("#auth button[type=submit]")).click();
    assertNoConsoleErrors(allowing(status(401)));

    // Views come from the API; picking one builds its key fields.
    waitFor(driver, d -> d.findElement(By.id("view")).isEnabled());
    assertThat(driver.findElement(By.id("auth")).isDisplayed()).isFalse();
    Select views = new Select(driver.findElement(By.id("view")));
    assertThat(views.getOptions().stream().map(o -> o.getAttribute("value")))
        .contains("by-source", "by-type", "sessions-by-source");
    views.selectByValue("by-type");
    waitFor(driver, d -> d.findElements(By.id("key-source")).isEmpty());
    assertThat(driver.findElements(By.id("key-type"))).hasSize(1);
    views.selectByValue("by-source");
    waitFor(driver, d -> !d.findElements(By.id("key-source")).isEmpty());
    waitFor(driver, d -> state(d).equals("empty"));
    driver.findElement(By.id("key-type")).sendKeys(TYPE);
    driver.findElement(By.id("key-source")).sendKeys("alpha");
    driver.findElement(By.id("show")).click();
    waitFor(driver, d -> state(d).equals("empty") && text(d, "state-text").contains("this key"));
    assertThat(attribute(driver, "chart-count", "data-points")).isEqualTo("0");
    browser.screenshot(screenshots, "dashboard-empty");
    Object marker = driver.executeScript("return window.__noReload = 'kept';");
    assertThat(marker).isEqualTo("kept");

    // Events of two sources over three windows, oldest first (so none is late); the page shows
    // them without being reloaded.
    long now = System.currentTimeMillis();
    long windowStart = now - Math.floorMod(now, 60_000L);
    post(events("alpha", windowStart - 120_000, List.of(8.0, 11.0, 9.0, 14.0)));
    post(events("alpha", windowStart - 60_000, List.of(16.0, 10.0, 22.0, 19.0, 25.0, 13.0)));
    post(events("alpha", windowStart, List.of(12.0, 18.0, 15.0, 30.0, 21.0)));
    post(events("beta", windowStart, List.of(5.0, 7.0, 9.0)));
    waitFor(driver, d -> "15".equals(attribute(d, "chart-count", "data-total-count")));
    waitFor(driver, d -> topCount(d, "alpha").equals("5") && topCount(d, "beta").equals("3"));
    assertThat(state(driver)).isEqualTo("ok");
    assertThat(attribute(driver, "chart-count", "data-points")).isEqualTo("3");
    assertThat(attribute(driver, "chart-mean", "data-points")).isEqualTo("3");
    assertThat(driver.findElements(By.cssSelector("#chart-quantiles path.line"))).hasSize(3);
    assertThat(driver.findElement(By.id("chart-count-desc")).getAttribute("textContent"))
        .contains("3 windows", "count 5");
    // The top row is the larger group; suggestions hold the latest window's keys.
    assertThat(rowKeys(driver).get(0)).contains("alpha");
    waitFor(
        driver,
        d ->
            d.findElements(By.cssSelector("#key-source-suggestions option")).stream()
                .map(o -> o.getAttribute("value"))
                .toList()
                .containsAll(List.of("alpha", "beta")));

    List<Double> more = List.of(40.0, 44.0, 3.0, 50.0);
    post(events("alpha", windowStart + 5_000, more));
    waitFor(driver, d -> "19".equals(attribute(d, "chart-count", "data-total-count")));
    waitFor(driver, d -> topCount(d, "alpha").equals("9"));
    assertThat(driver.executeScript("return window.__noReload;")).isEqualTo("kept");
    assertThat(driver.findElement(By.id("chart-count-desc")).getAttribute("textContent"))
        .contains("count 9");
    // Live over the event stream when the service offers one, polling otherwise.
    String mode = streamOffered("by-source", "type=" + TYPE + "&source=alpha") ? "live" : "polling";
    waitFor(driver, d -> mode.equals(attribute(d, "mode", "data-mode")));

    // Ranking by max puts the group with the largest value first (alpha's 50 over beta's 9).
    driver.findElement(By.cssSelector("th[data-by=max] button")).click();
    waitFor(
        driver,
        d ->
            "descending".equals(
                d.findElement(By.cssSelector("th[data-by=max]")).getAttribute("aria-sort")));
    waitFor(driver, d -> topCell(d, "alpha", "max").equals("50"));

    // The pipeline panel: every service ready.
    waitFor(
        driver,
        d ->
            d.findElements(By.cssSelector("#health-table tbody tr .badge")).stream()
                    .filter(b -> b.getText().equals("UP"))
                    .count()
                == 4);
    assertThat(
            driver.findElements(By.cssSelector("#health-table tbody tr")).stream()
                .map(r -> r.getAttribute("data-service"))
                .toList())
        .containsExactly("ingest", "enrich", "aggregate", "query");
    assertThat(driver.findElement(By.cssSelector("[data-service=aggregate] td:nth-child(3)"))
            .getText())
        .matches("\\d+(\\.\\d+)? m?s");
    browser.screenshot(screenshots, "dashboard-data");
    assertNoConsoleErrors(allowing(status(404)).or(status(503)));

    // Phone width: everything stacks, nothing needs sideways scrolling but the tables' own.
    browser.viewport(390, 844);
    waitFor(
        driver,
        d ->
            ((Number) d.executeScript("return document.documentElement.scrollWidth;")).intValue()
                <= 390);
    assertThat(driver.findElement(By.id("chart-count")).getRect().getWidth()).isLessThan(390);
    browser.screenshot(screenshots, "dashboard-phone");
    browser.viewport(1280, 800);

    // Keyboard: the sort buttons and key links are reachable and work without a mouse.
    WebElement countSort = driver.findElement(By.cssSelector("th[data-by=count] button"));
    countSort.sendKeys(Keys.ENTER);
    waitFor(
        driver,
        d ->
            "descending".equals(
                d.findElement(By.cssSelector("th[data-by=count]")).getAttribute("aria-sort")));

    // Without query-service the page says so and offers to retry.
    stack.stopService(Service.QUERY);
    waitFor(driver, d -> state(d).equals("error"));
    assertThat(text(driver, "state-text")).contains("Cannot reach the query service");
    assertThat(driver.findElement(By.id("retry")).isDisplayed()).isTrue();
    waitFor(driver, d -> d.findElements(By.cssSelector("#health-table tbody tr")).isEmpty());
    assertThat(driver.findElement(By.id("state")).getAttribute("role")).isEqualTo("alert");
    assertThat(attribute(driver, "mode", "data-mode")).isEqualTo("offline");
    assertThat(driver.executeScript("return window.__noReload;")).isEqualTo("kept");
    browser.screenshot(screenshots, "dashboard-error");
    assertNoConsoleErrors(allowing(status(404)).or(status(503)).or(networkFailure()));
  }

  // ------------------------------------------------------------------ the page

  private static void waitFor(ChromeDriver driver, Function<ChromeDriver, Boolean> condition) {
    new WebDriverWait(driver, DEADLINE, Duration.ofMillis(200))
        .ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .until(d -> condition.apply((ChromeDriver) d));
  }

  private static String state(ChromeDriver driver) {
    return driver.findElement(By.id("state")).getAttribute("data-state");
  }

  private static String text(ChromeDriver driver, String id) {
    return driver.findElement(By.id(id)).getText();
  }

  private static String attribute(ChromeDriver driver, String id, String name) {
    return driver.findElement(By.id(id)).getAttribute(name);
  }

  private static List<String> rowKeys(ChromeDriver driver) {
    return driver.findElements(By.cssSelector("#top-table tbody tr")).stream()
        .map(row -> row.getAttribute("data-key"))
        .toList();
  }

  /** A cell of the top-N row whose key has that source; "" when there is no such row. */
  private static String topCell(ChromeDriver driver, String source, String metric) {
    for (WebElement row : driver.findElements(By.cssSelector("#top-table tbody tr"))) {
      if (row.getAttribute("data-key").contains("\"source\":\"" + source + "\"")) {
        return row.findElement(By.cssSelector("td[data-metric=" + metric + "]")).getText();
      }
    }
    return "";
  }

  private static String topCount(ChromeDriver driver, String source) {
    return topCell(driver, source, "count");
  }

  // ------------------------------------------------------------------ the browser's log

  private static Predicate<LogEntry> allowing(Predicate<LogEntry> allowed) {
    return allowed;
  }

  /** A failed request answered with that status (Chromium logs each as a network error). */
  private static Predicate<LogEntry> status(int status) {
    Pattern pattern =
        Pattern.compile("/api/v1/\\S* - Failed to load resource: .*status of " + status + "\\b.*");
    return entry -> pattern.matcher(entry.getMessage()).find();
  }

  private static Predicate<LogEntry> networkFailure() {
    Pattern pattern = Pattern.compile("/api/v1/\\S* - Failed to load resource: net::ERR_\\w+");
    return entry -> pattern.matcher(entry.getMessage()).find();
  }

  private static void assertNoConsoleErrors(Predicate<LogEntry> expected) {
    List<String> unexpected = new ArrayList<>();
    for (LogEntry entry : browser.drainLog()) {
      System.out.println("[browser] " + entry.getLevel() + " " + entry.getMessage());
      if (entry.getLevel().intValue() >= Level.WARNING.intValue() && !expected.test(entry)) {
        unexpected.add(entry.getLevel() + " " + entry.getMessage());
      }
    }
    assertThat(unexpected).as("browser console errors and warnings").isEmpty();
  }

  // ------------------------------------------------------------------ the pipeline

  private static List<String> events(String source, long time, List<Double> values) {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      events.add(
          String.format(
              Locale.ROOT,
              "{\"eventId\":\"%s\",\"source\":\"%s\",\"type\":\"%s\",\"time\":%d,\"value\":%s}",
              UUID.randomUUID(),
              source,
              TYPE,
              time + i * 100L,
              values.get(i)));
    }
    return events;
  }

  private static void post(List<String> events) throws Exception {
    URI uri = stack.service(Service.INGEST).url("/api/v1/events");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", events) + "]"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }

  /** Whether query-service answers the view's event stream (read no further than its head). */
  private static boolean streamOffered(String view, String key) throws Exception {
    URI uri = stack.service(Service.QUERY).url("/api/v1/views/" + view + "/stream?" + key);
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      return response.statusCode() == 200
          && response
              .headers()
              .firstValue("Content-Type")
              .orElse("")
              .startsWith("text/event-stream");
    }
  }

  private static String sha256(String token) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }
}
