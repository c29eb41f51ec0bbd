package io.streamdown.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Which broker the system tests run against, chosen by {@code -Dstreamdown.e2e.broker}: {@code
 * in-jvm} (the default; the stack starts a KRaft broker in the test's JVM) or {@code container}
 * (the official {@code apache/kafka} image at the tag {@code docker-compose.yml} runs, through
 * Testcontainers, so a machine with Docker tests against the broker users deploy). One container
 * serves every test of the run (each has its own topic prefix); Testcontainers removes it when the
 * JVM ends. Without a Docker engine a container test is skipped, saying why.
 */
final class TestBroker {

  static final String PROPERTY = "streamdown.e2e.broker";

  private static KafkaContainer container;

  private TestBroker() {}

  /** Whether this run asked for the containerized broker. */
  static boolean containerized() {
    String kind = System.getProperty(PROPERTY, "in-jvm").trim().toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "", "in-jvm" -> false;
      case "container" -> true;
      default ->
          throw new IllegalArgumentException(
              "-D" + PROPERTY + " must be in-jvm or container, not " + kind);
    };
  }

  /**
   * The bootstrap servers of an external broker for this run, or empty for the in-JVM one. Starts
   * the container on first use.
   *
   * @throws org.opentest4j.TestAbortedException (a skipped test) when no Docker engine answers
   */
  static Optional<String> externalBootstrapServers() {
    return containerized() ? Optional.of(containerBootstrapServers()) : Optional.empty();
  }

  /**
   * The shared container's bootstrap servers, starting it on first use.
   *
   * @throws org.opentest4j.TestAbortedException (a skipped test) when no Docker engine answers
   */
  static synchronized String containerBootstrapServers() {
    assumeTrue(
        dockerAvailable(),
        "no Docker engine answers (DOCKER_HOST or /var/run/docker.sock), so the tests against the "
            + image()
            + " container are skipped; the in-JVM broker tests run without Docker");
    if (container == null) {
      KafkaContainer started = new KafkaContainer(image());
      started.start();
      container = started;
    }
    return container.getBootstrapServers();
  }

  /** {@code apache/kafka:<tag>}, the image and tag of the {@code kafka} service in compose. */
  static String image() {
    Path compose = E2eStacks.home().resolve("docker-compose.yml");
    try {
      Matcher matcher =
          Pattern.compile("(?m)^\\s*image:\\s*(apache/kafka:\\S+)\\s*$")
              .matcher(Files.readString(compose));
      if (!matcher.find()) {
        throw new IllegalStateException("no apache/kafka image in " + compose);
      }
      return matcher.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
