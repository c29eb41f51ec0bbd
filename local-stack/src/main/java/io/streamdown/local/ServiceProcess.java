package io.streamdown.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One service running as a child process of the launcher: its command, its log (stdout and stderr
 * together), its URLs, a readiness probe against the actuator, and an orderly stop (SIGTERM, a
 * deadline, then SIGKILL).
 */
public final class ServiceProcess {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private final ServiceInstance instance;
  private final ServicePorts ports;
  private final Path logFile;
  private final List<String> command;
  private final Process process;
  private final Instant startedAt;
  private volatile Duration readyAfter;
  private volatile String lastProbe = "no answer yet";

  private ServiceProcess(
      ServiceInstance instance,
      ServicePorts ports,
      Path logFile,
      List<String> command,
      Process process) {
    this.instance = instance;
    this.ports = ports;
    this.logFile = logFile;
    this.command = List.copyOf(command);
    this.process = process;
    this.startedAt = Instant.now();
  }

  /**
   * Starts the process with stdout and stderr written to {@code logFile} (replaced, so the log
   * holds this run only).
   */
  static ServiceProcess start(
      Service service, ServicePorts ports, List<String> command, Path logFile, Path workingDir) {
    return start(ServiceInstance.first(service), ports, command, logFile, workingDir);
  }

  /** Starts one instance of a service, as the other {@code start} does. */
  static ServiceProcess start(
      ServiceInstance instance,
      ServicePorts ports,
      List<String> command,
      Path logFile,
      Path workingDir) {
    try {
      Files.createDirectories(logFile.getParent());
      Process process =
          new ProcessBuilder(command)
              .directory(workingDir.toFile())
              .redirectErrorStream(true)
              // Appended, not replaced: a restarted service keeps the log of the run before it,
              // which is what explains why it was restarted.
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      // Nothing is ever written to a service's stdin; end-of-file says so.
      process.getOutputStream().close();
      return new ServiceProcess(instance, ports, logFile, command, process);
    } catch (IOException e) {
      throw new StackException(
          "cannot start " + instance.name() + " (" + command.get(0) + "): " + e, e);
    }
  }

  public Service service() {
    return instance.service();
  }

  /** Which instance of its service this process is. */
  public ServiceInstance instance() {
    return instance;
  }

  /** The instance's name: the module name, with {@code -<k>} for instances after the first. */
  public String name() {
    return instance.name();
  }

  public ServicePorts ports() {
    return ports;
  }

  /** The operating-system process id. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, once the process has ended. */
  public Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** Completes when the process ends. */
  public CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /** The service's log: its stdout and stderr. */
  public Path logFile() {
    return logFile;
  }

  /** The full command line the process was started with. */
  public List<String> command() {
    return command;
  }

  /** The service's URLs: its API and its actuator. */
  public ServiceUrls urls() {
    return new ServiceUrls(ports);
  }

  /** {@code http://localhost:<http port><path>}, for example {@code /api/v1/events}. */
  public URI url(String path) {
    return urls().url(path);
  }

  /** The readiness probe the launcher waits on. */
  public URI readinessUrl() {
    return urls().readiness();
  }

  /** How long the service took from process start to its first UP readiness answer. */
  public Optional<Duration> readyAfter() {
    return Optional.ofNullable(readyAfter);
  }

  /** The outcome of the latest readiness probe, for error messages. */
  String lastProbe() {
    return lastProbe;
  }

  /** Time since the process was started. */
  Duration age() {
    return Duration.between(startedAt, Instant.now());
  }

  /**
   * One readiness probe: true when the readiness endpoint answers 200 with status UP. Records the
   * first success as {@link #readyAfter()}.
   */
  boolean probeReady(HttpClient http) {
    HttpRequest request =
        HttpRequest.newBuilder(readinessUrl()).timeout(PROBE_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      boolean up = response.statusCode() == 200 && response.body().contains("\"UP\"");
      lastProbe = "HTTP " + response.statusCode() + " " + abbreviate(response.body());
      if (up && readyAfter == null) {
        readyAfter = age();
      }
      return up;
    } catch (ConnectException e) {
      lastProbe = "connection refused (not listening yet)";
    } catch (HttpTimeoutException e) {
      lastProbe = "no answer within " + PROBE_TIMEOUT.toSeconds() + " s";
    } catch (IOException e) {
      lastProbe = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lastProbe = "interrupted";
    }
    return false;
  }

  /**
   * Waits until the service is ready.
   *
   * @throws ServiceStartException if it exits or is not ready within {@code timeout}
   */
  public void awaitHealthy(Duration timeout) {
    Readiness.await(List.of(this), timeout, Readiness.httpClient(), ready -> {});
  }

  /**
   * Sends SIGKILL, as a crash would end the process (no shutdown hooks, no leaving the consumer
   * group), and waits for it to end.
   *
   * @return the exit code (137)
   */
  int kill() {
    process.destroyForcibly();
    return awaitExit(KILL_WAIT);
  }

  /** Sends SIGTERM (a graceful stop for a Spring application) without waiting. */
  void terminate() {
    process.destroy();
  }

  /**
   * Waits for the process to end, up to {@code timeout} after which it is killed.
   *
   * @return the exit code (143 after SIGTERM, 137 after SIGKILL)
   */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new StackException(
              name() + " (pid " + pid() + ") survived SIGKILL; stop it by hand");
        }
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new StackException("interrupted while stopping " + name(), e);
    }
  }

  /**
   * Stops the service: SIGTERM, then SIGKILL if it has not exited within {@code timeout}.
   *
   * @return the exit code
   */
  public int stop(Duration timeout) {
    terminate();
    return awaitExit(timeout);
  }

  /** The last {@code count} lines of the log (fewer if it is shorter), for error messages. */
  public List<String> logTail(int count) {
    if (!Files.exists(logFile)) {
      return List.of();
    }
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = file.length();
      int window = (int) Math.min(length, 64 * 1024);
      byte[] bytes = new byte[window];
      file.seek(length - window);
      file.readFully(bytes);
      List<String> lines = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
      return List.copyOf(lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + logFile, e);
    }
  }

  @Override
  public String toString() {
    return name() + " (pid " + pid() + ", port " + ports.http() + ")";
  }

  private static String abbreviate(String body) {
    String flat = body.replaceAll("\\s+", " ").trim();
    return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
  }
}
