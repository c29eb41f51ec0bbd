package io.streamdown.bench.camel;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The route: one event per POST, as its own Kafka record, keyed by the event's {@code source} (as
 * ingest keys it), 202 after the broker acknowledged it.
 *
 * <p>Knobs set, and why: {@code httpMethodRestrict=POST} (the API's one method, the same path as
 * ingest); {@code requestRequiredAcks=all} and {@code enableIdempotence=true}, the Kafka
 * component's documented settings for durable, duplicate-free delivery (they are its defaults in
 * this version too; spelled out so that a change of default cannot weaken the comparison).
 * Everything else is Camel's default: the synchronous {@code to(kafka)} completes the exchange only
 * in the producer's send callback, so the HTTP answer waits for the acknowledgement; requests are
 * routed on Vert.x's worker pool and the producer batches with the component's {@code lingerMs}.
 */
final class EventsToKafka extends RouteBuilder {

  static final String PATH = "/api/v1/events";

  private final String bootstrap;
  private final String topic;

  EventsToKafka(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  @Override
  public void configure() {
    onException(SourceKey.InvalidEventException.class)
        .handled(true)
        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(400))
        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
        .setBody(constant("{\"error\":\"the body is not one JSON event with a string source\"}"));

    from("platform-http:" + PATH + "?httpMethodRestrict=POST")
        .routeId("events-to-kafka")
        .process(new SourceKey())
        .to(
            "kafka:"
                + topic
                + "?brokers="
                + bootstrap
                + "&requestRequiredAcks=all&enableIdempotence=true")
        .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
        .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
        .setBody(constant("{\"accepted\":1}"));
  }
}
