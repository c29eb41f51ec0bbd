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
import org.springframework.stereotype.Service;

/**
 * Ingests one request of events, all or nothing: the body is read within its limit, every event is
 * validated, and only then are all of them written; the events come back once Kafka has
 * acknowledged every one.
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
   * Validates and writes the events of a request.
   *
   * @return the events as written, with their ids and times filled in
   * @throws RequestRejectedException when the request is refused; nothing was written
   * @throws KafkaUnavailableException when Kafka did not take the events in time
   */
  public List<Event> ingest(IncomingBody body) {
    Timer.Sample sample = metrics.startRequest();
    String outcome = IngestMetrics.OUTCOME_ACCEPTED;
    try {
      BodyFormat format = BodyFormat.resolve(body.contentType(), EnumSet.allOf(BodyFormat.class));
      byte[] bytes = BodyReader.read(body, limits.maxBodyBytesInt());
      List<Event> events = parser.parse(format, bytes, clock.millis());
      try {
        writer.writeEvents(events);
      } catch (KafkaUnavailableException e) {
        outcome = IngestMetrics.REASON_UNAVAILABLE;
        metrics.rejected(IngestMetrics.REASON_UNAVAILABLE, events.size());
        throw e;
      }
      metrics.accepted(events.size());
      return events;
    } catch (RequestRejectedException e) {
      outcome = e.reason();
      metrics.rejected(e.reason(), e.rejectedEvents());
      throw e;
    } finally {
      metrics.stopRequest(sample, outcome);
    }
  }
}
