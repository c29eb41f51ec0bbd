/**
 * The aggregate service: one Kafka Streams topology that turns enriched events into the windowed
 * aggregates of every configured view.
 */
package io.streamdown.aggregate;
