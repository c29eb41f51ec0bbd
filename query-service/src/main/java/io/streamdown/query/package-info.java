/**
 * The query service: window aggregates of every view, queryable over HTTP.
 *
 * <p>{@code streams} fills the state stores from the {@code aggregates} topic, {@code query}
 * reads them (interactive queries behind a facade), {@code api} is the HTTP layer and
 * {@code config} the settings.
 */
package io.streamdown.query;
