/**
 * Streamdown's data contracts: the records that travel on the topics, their serdes, the topic
 * catalogue and the view definitions. Every service depends on this package and nothing here
 * depends on a service, so a contract changes in exactly one place.
 */
package io.streamdown.schemas;
