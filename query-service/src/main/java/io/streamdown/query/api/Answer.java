package io.streamdown.query.api;

/**
 * A successful answer of the query API: the body (a response record, or the JSON bytes another
 * instance sent, passed on as they came), the instance whose store answered (the {@code
 * Streamdown-Served-By} header) and the route, for the request metric.
 */
record Answer(Object body, String servedBy, String route) {}
