package io.streamdown.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The query service: keeps every view's window aggregates in local Kafka Streams state stores,
 * fed by the {@code aggregates} topic, and serves them over HTTP (series of windows, roll-ups
 * over a range, top groups of a window).
 *
 * <p>Kafka Streams is enabled in {@link io.streamdown.query.streams.QueryStreamsConfiguration}
 * rather than here, so web slice tests can start the MVC layer without a Streams client.
 */
@SpringBootApplication
public class QueryApplication {

  public static void main(String[] args) {
    SpringApplication.run(QueryApplication.class, args);
  }
}
