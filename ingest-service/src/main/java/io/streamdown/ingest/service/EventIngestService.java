package io.streamdown.ingest.service;

import io.micrometer.core.instrument.Timer;
import io.streamdown.ingest.config.IngestSettings;
import io.streamdown.ingest.kafka.EventWriter;
import io.streamdown.ingest.kafka.KafkaUnavailableException;
import io.streamdown.ingest.request.BodyFormat;
import io.streamdown.ingest.request.BodyReader;
import io.streamdown.ingest.request.EventBatchParser;
import io.streamdown.ingest.request.IncomingBody;
import io.streamdown.ingest.request.RequestRejectedException;
import io.streamdown.schemas.Event;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * Ingests one request of events, all or nothing: the body is read within its limit, every event is
 * validated, and only then are all of them written; the events come back once Kafka has
 * acknowledged every one. The request thread is released while Kafka acknowledges, so a few dozen
 * threads carry thousands of requests in flight.
 */
@Service
public class EventIngestService {

  private final IngestSettings.Limits limits;
  private final EventBatchParser parser;
  private final EventWriter writer;
  private final IngestMetrics metrics;
  private final Clock clock;

  public EventIngestService(
      IngestSettings settings,
      EventBatchParser parser,
      EventWriter writer,
      IngestMetrics metrics,
      Clock clock) {
    this.limits = settings.limits();
    this.parser = parser;
    this.writer = writer;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Validates the events of a request on the calling thread, then writes them without holding it.
   *
   * @return the events as written, with their ids and times filled in, once Kafka acknowledged all
   *     of them; or completes exceptionally with a {@link KafkaUnavailableException} when Kafka did
   *     not take them in time
   * @throws RequestRejectedException when the request is refused; nothing was written
   */
  public CompletableFuture<List<Event>> ingest(IncomingBody body) {
    Timer.Sample sample = metrics.startRequest();
    List<Event> events;
    try {
      BodyFormat format = BodyFormat.resolve(body.contentType(), EnumSet.allOf(BodyFormat.class));
      byte[] bytes = BodyReader.read(body, limits.maxBodyBytesInt());
      events = parser.parse(format, bytes, clock.millis());
    } catch (RequestRejectedException e) {
      metrics.rejected(e.reason(), e.rejectedEvents());
      metrics.stopRequest(sample, e.reason());
      throw e;
    }
    CompletableFuture<List<Event>> written = new CompletableFuture<>();
    writer
        .writeEvents(events)
        .whenComplete(
            (ignored, error) -> {
              if (error == null) {
                metrics.accepted(events.size());
                metrics.stopRequest(sample, IngestMetrics.OUTCOME_ACCEPTED);
                written.complete(events);
              } else {
                metrics.rejected(IngestMetrics.REASON_UNAVAILABLE, events.size());
                metrics.stopRequest(sample, IngestMetrics.REASON_UNAVAILABLE);
                written.completeExceptionally(KafkaUnavailableException.of(error));
              }
            });
    return written;
  }
}
