package io.streamdown.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * The four services of the pipeline as the local stack runs them: the Maven module each one is
 * built from, its place in the default port plan and whether it runs Kafka Streams (and so needs a
 * state directory).
 */
public enum Service {
  INGEST("ingest-service", 1, false),
  ENRICH("enrich-service", 2, true),
  AGGREGATE("aggregate-service", 3, true),
  QUERY("query-service", 4, true);

  /** The project version, which is also the version of the service jars next to this module. */
  public static final String VERSION = loadVersion();

  private final String moduleName;
  private final int portOffset;
  private final boolean kafkaStreams;

  Service(String moduleName, int portOffset, boolean kafkaStreams) {
    this.moduleName = moduleName;
    this.portOffset = portOffset;
    this.kafkaStreams = kafkaStreams;
  }

  /** The Maven module, which is also the name used for logs and state directories. */
  public String moduleName() {
    return moduleName;
  }

  /** Short name: {@code ingest}, {@code enrich}, {@code aggregate}, {@code query}. */
  public String shortName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Position in a port plan built from a base: HTTP port = base + offset. */
  public int portOffset() {
    return portOffset;
  }

  /** Whether the service runs a Kafka Streams topology and so keeps local state. */
  public boolean kafkaStreams() {
    return kafkaStreams;
  }

  /**
   * Whether {@code ./streamdown up --instances N} runs N instances of this service: the Kafka
   * Streams services, which share their work by partitions. Ingest is stateless behind one port
   * and stays a single instance in the local stack.
   */
  public boolean scalesOut() {
    return kafkaStreams;
  }

  /** How many instances of this service a stack of {@code instances} per service runs. */
  public int instances(int instances) {
    return scalesOut() ? instances : 1;
  }

  /** The executable jar Spring Boot's plugin builds, below the repository root {@code home}. */
  public Path jar(Path home) {
    return home.resolve(moduleName).resolve("target").resolve(moduleName + "-" + VERSION + ".jar");
  }

  /**
   * The service named {@code name}, either short ({@code ingest}) or as its module ({@code
   * ingest-service}), ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static Service fromName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Service service : values()) {
      if (service.shortName().equals(wanted) || service.moduleName.equals(wanted)) {
        return service;
      }
    }
    throw new IllegalArgumentException(
        "unknown service '"
            + name
            + "'; expected one of "
            + Arrays.stream(values()).map(Service::shortName).toList());
  }

  private static String loadVersion() {
    try (InputStream in = Service.class.getResourceAsStream("local-stack.properties")) {
      if (in == null) {
        throw new IllegalStateException("local-stack.properties is missing from the classpath");
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
