package io.streamdown.query.dashboard;

import java.util.List;

/**
 * {@code GET /api/v1/pipeline}: how each service of the pipeline is doing, in pipeline order.
 *
 * @param checkedAt when the services were asked (RFC 3339); answers are reused for a few seconds
 * @param services one entry per service
 */
record PipelineResponse(String checkedAt, List<ServiceStatus> services) {

  /**
   * One service as its management port shows it. Numbers are totals since the service started
   * (Prometheus counters) and null when its metrics could not be read.
   *
   * @param name {@code ingest}, {@code enrich}, {@code aggregate} or {@code query}
   * @param status its readiness: {@code UP}, {@code OUT_OF_SERVICE}, {@code DOWN} (also when it
   *     does not answer) or whatever other status it reports
   * @param freshnessP99Seconds p99 of its freshness histogram (ingest to aggregated, or ingest to
   *     queryable), null when it has none or observed nothing yet
   * @param lateEvents events dropped as late (aggregate; 0 elsewhere)
   * @param deadLetters records it sent to the dead-letter topic
   * @param error why it counts as DOWN or its metrics are missing, null when all went well
   */
  record ServiceStatus(
      String name,
      String status,
      Double freshnessP99Seconds,
      Long lateEvents,
      Long deadLetters,
      String error) {}
}
