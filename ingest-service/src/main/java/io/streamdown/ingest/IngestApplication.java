package io.streamdown.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The ingest service: the HTTP front door of the pipeline. Producers post events and reference data
 * here; the service validates every request completely, then writes it to Kafka ({@code
 * events.raw}, {@code reference}) and answers only once Kafka has acknowledged it.
 */
@SpringBootApplication
public class IngestApplication {

  public static void main(String[] args) {
    SpringApplication.run(IngestApplication.class, args);
  }
}
