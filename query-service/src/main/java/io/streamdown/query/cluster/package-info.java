/**
 * The query service as one of many instances: who this instance is, which instance holds which
 * partition of the view stores (active or standby), how a point query is routed and how partial
 * answers of a scatter-gather are merged. The decisions are pure functions over
 * {@link io.streamdown.query.cluster.QueryCluster}, so they are tested without a Kafka cluster.
 */
package io.streamdown.query.cluster;
