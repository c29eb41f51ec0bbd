package io.streamdown.enrich;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/**
 * The enrich service: reads raw events, drops duplicates, joins each event with the reference
 * data of its source as it stood when the event was ingested, and writes the enriched events.
 * It serves no public endpoints; the web server exists only for the actuator on the management
 * port.
 */
@SpringBootApplication
@EnableKafkaStreams
public class EnrichApplication {

  public static void main(String[] args) {
    SpringApplication.run(EnrichApplication.class, args);
  }
}
