/**
 * Interactive queries over the view stores: the {@link io.streamdown.query.query.AggregateQueries}
 * facade, its results and where it finds its stores.
 */
package io.streamdown.query.query;
