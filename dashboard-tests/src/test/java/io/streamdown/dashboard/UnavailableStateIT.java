package io.streamdown.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.local.PortPlan;
import io.streamdown.local.Service;
import io.streamdown.local.ServicePorts;
import io.streamdown.local.StackOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard while query-service answers but cannot query its stores (503 with {@code
 * Retry-After}): query-service runs alone, its broker address pointing at a closed port, so its
 * Kafka Streams client never reaches RUNNING. The page must show the unavailable state with a
 * countdown and keep retrying, without console errors.
 */
@DisabledIfSystemProperty(
    named = "streamdown.browser.skip",
    matches = "true",
    disabledReason = "browser tests skipped (-Dstreamdown.browser.skip=true)")
class UnavailableStateIT {

  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static Process query;
  private static Browser browser;
  private static URI page;
  private static Path screenshots;

  @BeforeAll
  static void start() throws Exception {
    Browser.requireInstalled();
    Path target = DashboardStack.targetDir();
    screenshots = target.resolve("screenshots");
    Path dir = Files.createTempDirectory(target, "dashboard-unavailable-");
    PortPlan free = PortPlan.freePorts();
    ServicePorts ports = free.ports(Service.QUERY);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(StackOptions.DEFAULT_JVM_OPTIONS);
    command.add("-jar");
    command.add(Service.QUERY.jar(DashboardStack.home()).toString());
    command.add("--server.port=" + ports.http());
    command.add("--server.address=127.0.0.1");
    command.add("--management.server.port=" + ports.management());
    command.add("--management.server.address=127.0.0.1");
    // Nothing listens there: the plan's broker port is free, and no broker is started.
    command.add("--spring.kafka.bootstrap-servers=localhost:" + free.brokerPort());
    command.add("--spring.kafka.streams.state-dir=" + dir.resolve("state"));
    command.add("--streamdown.topics.prefix=dashboard-unavailable.");
    // The pipeline panel asks free ports (nothing there: DOWN), never the default ones.
    for (Service service : Service.values()) {
      command.add(
          "--streamdown.dashboard.services."
              + service.shortName()
              + "=http://localhost:"
              + free.ports(service).management());
    }
    query =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("query-service.log").toFile())
            .start();
    page = URI.create("http://localhost:" + ports.http() + "/");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () -> {
              assertThat(query.isAlive()).as("query-service is running").isTrue();
              return http.send(
                          HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(5)).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            });
    browser = Browser.start(target.resolve("browser-unavailable"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (query != null) {
        query.destroy();
        if (!query.waitFor(30, TimeUnit.SECONDS)) {
          query.destroyForcibly();
        }
      }
    }
    DashboardStack.publishScreenshots(screenshots);
  }

  @Test
  void a503ShowsTheRetryAfterCountdownAndTheRetryButton() throws IOException {
    ChromeDriver driver = browser.driver();
    browser.viewport(1280, 800);
    driver.get(page.toString());
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(100));

    // The views load (configuration only); the first view's latest window cannot be read.
    wait.until(d -> "unavailable".equals(state(d)));
    assertThat(driver.findElement(By.id("view")).getAttribute("value")).isNotEmpty();
    assertThat(driver.findElement(By.id("state")).getAttribute("role")).isEqualTo("alert");
    assertThat(driver.findElement(By.id("retry")).isDisplayed()).isTrue();
    assertThat(driver.findElement(By.id("mode")).getAttribute("data-mode")).isEqualTo("offline");
    Pattern countdown = Pattern.compile("Retrying in (\\d+) s");
    wait.until(d -> countdown.matcher(text(d)).find());
    assertThat(text(driver)).contains("Aggregates not queryable yet");
    browser.screenshot(screenshots, "dashboard-unavailable");

    // The countdown runs down and the page asks again by itself, then counts down afresh.
    String firstAttempt = attempt(driver);
    String firstText = text(driver);
    wait.until(d -> !text(d).equals(firstText) && countdown.matcher(text(d)).find());
    wait.until(d -> !attempt(d).equals(firstAttempt));
    assertThat(state(driver)).isEqualTo("unavailable");

    // The button retries at once.
    String beforeClick = attempt(driver);
    driver.findElement(By.id("retry")).click();
    wait.until(d -> !attempt(d).equals(beforeClick) && "unavailable".equals(state(d)));

    List<String> unexpected = new ArrayList<>();
    for (LogEntry entry : browser.log()) {
      boolean expected =
          entry.getMessage().matches(".*/api/v1/\\S* - Failed to load resource: .*status of 503.*");
      if (entry.getLevel().intValue() >= Level.WARNING.intValue() && !expected) {
        unexpected.add(entry.getLevel() + " " + entry.getMessage());
      }
    }
    assertThat(unexpected).as("browser console errors and warnings").isEmpty();
  }

  private static String state(WebDriver driver) {
    return driver.findElement(By.id("state")).getAttribute("data-state");
  }

  private static String attempt(WebDriver driver) {
    return driver.findElement(By.id("state")).getAttribute("data-attempt");
  }

  private static String text(WebDriver driver) {
    return driver.findElement(By.id("state-text")).getText();
  }
}
