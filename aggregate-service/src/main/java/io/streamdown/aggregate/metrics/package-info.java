/** The aggregate service's Micrometer metrics. */
package io.streamdown.aggregate.metrics;
