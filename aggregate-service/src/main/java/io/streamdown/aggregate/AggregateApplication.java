package io.streamdown.aggregate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/**
 * The aggregate service: reads enriched events and computes the windowed aggregates of every
 * configured view, writing them to the {@code aggregates} topic. It serves no API of its own; the
 * web server exists only so that health and metrics are available on the management port.
 */
@SpringBootApplication
@EnableKafkaStreams
public class AggregateApplication {

  public static void main(String[] args) {
    SpringApplication.run(AggregateApplication.class, args);
  }
}
