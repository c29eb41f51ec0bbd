/**
 * The Kafka Streams side: the topology that fills one window store per view from the
 * {@code aggregates} topic, its metrics and its Spring wiring.
 */
package io.streamdown.query.streams;
