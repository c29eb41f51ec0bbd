/**
 * What the three Kafka Streams services share: parsing input records with dead-letter routing,
 * Kafka Streams health for the liveness and readiness probes, and the common Streams settings
 * ({@code streamdown-streams.yml}).
 */
package io.streamdown.support;
