package io.streamdown.support;

import io.streamdown.schemas.TopicCatalog;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The first step of every stage: parse the input bytes, send what does not parse to
 * {@code events.dlq} (original key and value, error headers) and continue with the rest. Because
 * the dead letter is written by the topology itself, it is part of the same exactly-once
 * transaction as the records around it.
 */
public final class DeadLetterRouting {

  private DeadLetterRouting() {}

  /**
   * Parses {@code input} with {@code parser}; failures go to the dead-letter topic.
   *
   * @param name prefix of the processor names of this step (they must be unique per topology)
   * @param stage the stage named in the dead-letter headers, e.g. {@code enrich}
   * @return the parsed values, keyed as the input; a parser may return null for tombstones
   */
  public static <T> KStream<String, T> parseOrDeadLetter(
      KStream<String, byte[]> input,
      String name,
      String stage,
      RecordParser<T> parser,
      TopicCatalog topics,
      DeadLetterListener listener) {
    Map<String, KStream<String, Parsed<T>>> branches =
        input
            .processValues(
                () -> new ParseProcessor<>(stage, parser, listener), Named.as(name + "-parse"))
            .split(Named.as(name + "-"))
            .branch((key, parsed) -> parsed.failed(), Branched.as("failed"))
            .defaultBranch(Branched.as("parsed"));
    branches
        .get(name + "-failed")
        .mapValues(Parsed::raw, Named.as(name + "-raw-bytes"))
        .to(
            topics.eventsDlq().name(),
            Produced.with(Serdes.String(), Serdes.ByteArray()).withName(name + "-dead-letters"));
    return branches.get(name + "-parsed").mapValues(Parsed::value, Named.as(name + "-value"));
  }
}
