/**
 * The aggregate topology ({@link io.streamdown.aggregate.streams.AggregateTopology}) and its
 * parts: parsing, event-time stamping, per-view grouping, late-event counting and window
 * aggregation.
 */
package io.streamdown.aggregate.streams;
