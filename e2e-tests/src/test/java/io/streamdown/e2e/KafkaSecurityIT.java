package io.streamdown.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.local.LocalKafkaBroker;
import io.streamdown.local.PortCheck;
import io.streamdown.local.Service;
import io.streamdown.local.TopicSetup;
import io.streamdown.schemas.TopicCatalog;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka client security through nothing but the standard Spring Kafka properties: a broker whose
 * client listeners require SASL (SCRAM-SHA-512), one of them over TLS with a certificate made by
 * keytool; ingest-service and enrich-service started with {@code spring.kafka.security.protocol=
 * SASL_SSL}, {@code spring.kafka.ssl.trust-store-*} and {@code spring.kafka.properties.sasl.*}, an
 * event posted and enriched across it; with a wrong password ingest-service stays not ready (its
 * readiness names {@code kafkaWrite}), answers 503 and logs the authentication failure instead of
 * hanging or accepting the event, and enrich-service's Kafka Streams client ends in ERROR, which
 * its liveness and readiness probes report.
 */
class KafkaSecurityIT {

  private static final String PREFIX = "secure.";
  private static final String USER = "streamdown";
  private static final String PASSWORD = "correct-horse-battery";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final String STORE_PASSWORD = "keystore-secret";

  private final Http http = new Http();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
    }
    for (Process process : processes) {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void servicesAuthenticateWithSaslAndAWrongPasswordIsRefusedClearly() throws Exception {
    Path dir = E2eStacks.dataDir("security");
    int[] ports = PortCheck.freePorts(12);
    int plaintext = ports[0];
    int controller = ports[1];
    Path[] tls = certificate(dir);
    try (LocalKafkaBroker broker =
        LocalKafkaBroker.start(
            dir.resolve("kafka"), plaintext, controller, brokerListeners(ports, tls[0]))) {
      // SCRAM users live in the cluster metadata; the admin uses the unauthenticated listener,
      // which in production would be the operators' own.
      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintext(plaintext)))) {
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        USER,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        PASSWORD)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      TopicCatalog catalog = new TopicCatalog(PREFIX);
      TopicSetup.ensureTopics(broker.bootstrapServers(), catalog, 3);

      // The working pair over SASL_SSL (as in production), the wrong passwords over SASL_PLAINTEXT.
      Kafka secure = new Kafka("localhost:" + ports[11], "SASL_SSL", PASSWORD, tls[1]);
      Started ingest = start(dir, Service.INGEST, ports[3], ports[4], secure);
      Started enrich = start(dir, Service.ENRICH, ports[5], ports[6], secure);
      Kafka wrongPassword = new Kafka("localhost:" + ports[2], "SASL_PLAINTEXT", "wrong", null);
      Started wrong = start(dir, Service.INGEST, ports[7], ports[8], wrongPassword);
      Started wrongEnrich = start(dir, Service.ENRICH, ports[9], ports[10], wrongPassword);
      for (Started started : List.of(ingest, enrich)) {
        awaitReady(started);
      }
      // Ingest with a wrong password runs (liveness UP) but is not ready: its producer cannot
      // fetch the topics' partitions, and the readiness details say so.
      whileStarting()
          .untilAsserted(
              () -> {
                assertThat(wrong.process().isAlive()).as("ingest with a wrong password").isTrue();
                assertThat(http.get(wrong.actuator("/health/liveness")).status()).isEqualTo(200);
                Http.Response readiness = http.get(wrong.actuator("/health/readiness"));
                assertThat(readiness.status()).isEqualTo(503);
                assertThat(readiness.body()).contains("\"kafkaWrite\"").contains("OUT_OF_SERVICE");
              });

      String eventId = "secure-" + System.nanoTime();
      String event =
          "{\"eventId\":\""
              + eventId
              + "\",\"source\":\"s-1\",\"type\":\"temp\",\"time\":"
              + System.currentTimeMillis()
              + ",\"value\":1}";
      Http.Response accepted =
          http.send("POST", ingest.url("/api/v1/events"), "application/json", event);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);

      // Enriched by enrich-service, which read and wrote over SASL in one transaction.
      try (KafkaConsumer<String, String> consumer = consumer(plaintext(plaintext))) {
        consumer.subscribe(List.of(catalog.eventsEnriched().name()));
        List<String> values = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                  return values.stream().anyMatch(v -> v.contains(eventId));
                });
      }

      Http.Response refused =
          http.send(
              "POST",
              wrong.url("/api/v1/events"),
              "application/json",
              event.replace(eventId, eventId + "-refused"));
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.json().get("title").asString()).isEqualTo("Kafka unavailable");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(Files.readString(wrong.log()))
                      .containsIgnoringCase("authentication failed"));

      // A Streams service with a wrong password: its Kafka Streams client ends in ERROR, so the
      // liveness probe fails (an orchestrator restarts it) and the log says why.
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .ignoreException(java.io.UncheckedIOException.class)
          .untilAsserted(
              () -> {
                assertThat(http.get(wrongEnrich.actuator("/health/liveness")).status())
                    .isEqualTo(503);
                assertThat(http.get(wrongEnrich.actuator("/health/readiness")).status())
                    .isEqualTo(503);
                assertThat(wrongEnrich.health()).contains("\"state\":\"ERROR\"");
              });
      assertThat(Files.readString(wrongEnrich.log())).contains("failed authentication");
      // The refused event never reached the topic.
      try (KafkaConsumer<String, String> consumer = consumer(plaintext(plaintext))) {
        consumer.subscribe(List.of(catalog.eventsRaw().name()));
        List<String> values = new ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
                  return values.stream().anyMatch(v -> v.contains(eventId));
                });
        assertThat(values).noneMatch(v -> v.contains(eventId + "-refused"));
      }
    }
  }

  /**
   * The broker's listeners: the usual PLAINTEXT one (the admin's and the broker's own), the
   * controller, a SASL_PLAINTEXT one and a SASL_SSL one (TLS with {@code keystore}), both
   * accepting SCRAM-SHA-512 users.
   */
  private static Map<String, String> brokerListeners(int[] ports, Path keystore) {
    String scram = "org.apache.kafka.common.security.scram.ScramLoginModule required;";
    Map<String, String> config = new java.util.HashMap<>();
    config.put(
        "listeners",
        "PLAINTEXT://localhost:"
            + ports[0]
            + ",CONTROLLER://localhost:"
            + ports[1]
            + ",SASL_PLAINTEXT://localhost:"
            + ports[2]
            + ",SASL_SSL://localhost:"
            + ports[11]);
    config.put(
        "advertised.listeners",
        "PLAINTEXT://localhost:"
            + ports[0]
            + ",SASL_PLAINTEXT://localhost:"
            + ports[2]
            + ",SASL_SSL://localhost:"
            + ports[11]);
    config.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL");
    config.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    config.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scram);
    config.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scram);
    config.put("listener.name.sasl_ssl.ssl.keystore.location", keystore.toString());
    config.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
    config.put("listener.name.sasl_ssl.ssl.keystore.password", STORE_PASSWORD);
    config.put("listener.name.sasl_ssl.ssl.key.password", STORE_PASSWORD);
    return config;
  }

  /**
   * A self-signed certificate for {@code localhost} made with the JDK's keytool: the broker's
   * PKCS12 keystore and the certificate as PEM, which clients trust.
   *
   * @return the keystore and the PEM certificate
   */
  private static Path[] certificate(Path dir) throws IOException, InterruptedException {
    Path keystore = dir.resolve("tls/broker.p12");
    Path pem = dir.resolve("tls/ca.crt");
    Files.createDirectories(keystore.getParent());
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    keytool(
        keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-keystore", keystore.toString(), "-storetype", "PKCS12",
        "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
    keytool(
        keytool, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(),
        "-storepass", STORE_PASSWORD, "-file", pem.toString());
    return new Path[] {keystore, pem};
  }

  private static void keytool(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
  }

  /** A service process started by this test, with its log and management port. */
  private record Started(Service service, Process process, Path log, int http, int management) {

    URI url(String path) {
      return URI.create("http://localhost:" + http + path);
    }

    URI actuator(String path) {
      return URI.create("http://localhost:" + management + "/actuator" + path);
    }

    String health() {
      return new Http().get(actuator("/health")).body();
    }
  }

  /**
   * How a service connects: the listener, its protocol, the SCRAM password and, for TLS, the PEM
   * certificate it trusts.
   */
  private record Kafka(String bootstrap, String protocol, String password, Path trusted) {}

  /** Starts a service with SASL client settings; {@link #awaitReady} waits for it. */
  private Started start(
      Path dir, Service service, int httpPort, int managementPort, Kafka kafka)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                service.jar(E2eStacks.home()).toString(),
                "--server.port=" + httpPort,
                "--server.address=127.0.0.1",
                "--management.server.port=" + managementPort,
                "--management.server.address=127.0.0.1",
                "--streamdown.topics.prefix=" + PREFIX,
                "--spring.kafka.bootstrap-servers=" + kafka.bootstrap(),
                // The standard Spring Kafka properties, as an operator sets them (as environment
                // variables SPRING_KAFKA_SECURITY_PROTOCOL etc. in compose and Kubernetes).
                "--spring.kafka.security.protocol=" + kafka.protocol(),
                "--spring.kafka.properties.sasl.mechanism=SCRAM-SHA-512",
                "--spring.kafka.properties.sasl.jaas.config="
                    + "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\""
                    + USER
                    + "\" password=\""
                    + kafka.password()
                    + "\";"));
    if (kafka.trusted() != null) {
      command.add("--spring.kafka.ssl.trust-store-type=PEM");
      command.add("--spring.kafka.ssl.trust-store-location=file:" + kafka.trusted());
    }
    if (service.kafkaStreams()) {
      command.add("--spring.kafka.streams.state-dir=" + dir.resolve("state-" + httpPort));
    }
    Path log = dir.resolve("logs/" + service.moduleName() + "-" + httpPort + ".log");
    Files.createDirectories(log.getParent());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    processes.add(process);
    return new Started(service, process, log, httpPort, managementPort);
  }

  /** Polls a service that is starting: once a second, its HTTP port possibly not yet open. */
  private static ConditionFactory whileStarting() {
    return await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreException(java.io.UncheckedIOException.class);
  }

  private void awaitReady(Started started) {
    whileStarting()
        .until(
            () -> {
              if (!started.process().isAlive()) {
                throw new AssertionError(
                    started.service().moduleName() + " exited; see " + started.log());
              }
              return http.get(started.actuator("/health/readiness")).status() == 200;
            });
  }


  private static String plaintext(int port) {
    return "localhost:" + port;
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "security-it-" + System.nanoTime());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
  }
}
