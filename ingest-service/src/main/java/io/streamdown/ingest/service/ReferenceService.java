package io.streamdown.ingest.service;

import io.streamdown.ingest.config.IngestSettings;
import io.streamdown.ingest.kafka.EventWriter;
import io.streamdown.ingest.kafka.KafkaUnavailableException;
import io.streamdown.ingest.request.BodyFormat;
import io.streamdown.ingest.request.BodyReader;
import io.streamdown.ingest.request.IncomingBody;
import io.streamdown.ingest.request.ReferenceParser;
import io.streamdown.ingest.request.RequestRejectedException;
import io.streamdown.schemas.Reference;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Upserts and deletes the reference data of a source in the compacted {@code reference} topic,
 * where enrichment picks it up for events ingested afterwards.
 */
@Service
public class ReferenceService {

  private final IngestSettings.Limits limits;
  private final ReferenceParser parser;
  private final EventWriter writer;
  private final Clock clock;

  public ReferenceService(
      IngestSettings settings, ReferenceParser parser, EventWriter writer, Clock clock) {
    this.limits = settings.limits();
    this.parser = parser;
    this.writer = writer;
    this.clock = clock;
  }

  /**
   * Replaces the reference data of a source.
   *
   * @return the reference as stored
   * @throws RequestRejectedException when the request is refused; nothing was written
   * @throws KafkaUnavailableException when Kafka did not take the write in time
   */
  public Reference put(String source, IncomingBody body) {
    BodyFormat.resolve(body.contentType(), EnumSet.of(BodyFormat.JSON));
    byte[] bytes = BodyReader.read(body, limits.maxBodyBytesInt());
    Map<String, Object> attributes = parser.parse(source, bytes);
    Reference reference = new Reference(source, attributes, clock.millis());
    writer.writeReference(reference);
    return reference;
  }

  /**
   * Deletes the reference data of a source; deleting unknown data is not an error.
   *
   * @throws RequestRejectedException when the source is invalid
   * @throws KafkaUnavailableException when Kafka did not take the write in time
   */
  public void delete(String source) {
    parser.checkSource(source);
    writer.deleteReference(source);
  }
}
