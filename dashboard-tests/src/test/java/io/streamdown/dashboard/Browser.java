package io.streamdown.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium driven through the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}). Selenium Manager never runs: the driver and the browser are given by
 * path, so nothing is downloaded. Without them the tests fail; {@code
 * -Dstreamdown.browser.skip=true} skips them.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("streamdown.chromedriver", "/usr/bin/chromedriver"));
  static final Path CHROMIUM =
      Path.of(System.getProperty("streamdown.chromium", "/usr/bin/chromium"));

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final List<LogEntry> log = new ArrayList<>();

  private Browser(ChromeDriverService service, ChromeDriver driver) {
    this.service = service;
    this.driver = driver;
  }

  /**
   * Fails without the system's chromedriver and chromium; the browser test classes are disabled
   * with {@code -Dstreamdown.browser.skip=true} before this runs.
   */
  static void requireInstalled() {
    if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(
          CHROMEDRIVER
              + " and "
              + CHROMIUM
              + " are needed (Debian: apt-get install chromium chromium-driver; .ci/run installs"
              + " them); -Dstreamdown.browser.skip=true skips these tests");
    }
  }

  static Browser start(Path workDir) throws IOException {
    requireInstalled();
    Files.createDirectories(workDir);
    Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(workDir.resolve("chromedriver.log").toFile())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile,
        "--window-size=1280,800");
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logging);
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    return new Browser(service, driver);
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Sets the size of the page's viewport (not of the window around it). */
  void viewport(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    Object inner = driver.executeScript("return [window.innerWidth, window.innerHeight];");
    List<?> size = (List<?>) inner;
    int dw = width - ((Number) size.get(0)).intValue();
    int dh = height - ((Number) size.get(1)).intValue();
    if (dw != 0 || dh != 0) {
      driver.manage().window().setSize(new Dimension(width + dw, height + dh));
    }
  }

  /** The browser's console and network log since the last call, kept for {@link #log()}. */
  List<LogEntry> drainLog() {
    List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
    log.addAll(entries);
    return entries;
  }

  List<LogEntry> log() {
    drainLog();
    return List.copyOf(log);
  }

  /** Saves a PNG of the viewport as {@code <dir>/<name>.png}. */
  Path screenshot(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      File shot = driver.getScreenshotAs(OutputType.FILE);
      Path target = dir.resolve(name + ".png");
      Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
